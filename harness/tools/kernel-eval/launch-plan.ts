/**
 * The launch plan: what a candidate's host code asked the GPU to do, written by the launch recorder
 * (native/launch-recorder.cpp) in a sandbox without a GPU, and replayed by the trusted runner
 * (native/runner.cu). The recorder shares its process with the candidate, so its file is hostile input:
 * this module parses it strictly, checks every name, size, buffer and offset, and writes the canonical form
 * the runner reads (so the runner only ever parses text this module produced).
 *
 * The recorder calls `solution()` three times. The first call is replayed once (it may allocate scratch it
 * keeps in a static); the second is replayed for every later call, and must equal the third (up to the ids
 * of scratch allocated within the call): host code whose work changes from call to call (a cache that skips
 * the work once it has seen the inputs, a background thread that launches late) is not replayable and is
 * rejected rather than guessed at.
 */

export interface PtxEntry {
  name: string;
  /** Bytes of each parameter, in order. */
  params: number[];
}

const PTX_TYPE_BYTES: Record<string, number> = {
  b8: 1,
  u8: 1,
  s8: 1,
  b16: 2,
  u16: 2,
  s16: 2,
  f16: 2,
  b32: 4,
  u32: 4,
  s32: 4,
  f32: 4,
  b64: 8,
  u64: 8,
  s64: 8,
  f64: 8,
};

/** The kernels (`.entry`) of a PTX file and the sizes of their parameters. */
export function ptxEntries(ptx: string): Map<string, PtxEntry> {
  const out = new Map<string, PtxEntry>();
  const entry = /\.entry\s+([A-Za-z_$][\w$]*)\s*\(([^)]*)\)/g;
  for (const m of ptx.matchAll(entry)) {
    const params: number[] = [];
    for (const decl of m[2]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const type = /\.(b8|u8|s8|b16|u16|s16|f16|b32|u32|s32|f32|b64|u64|s64|f64)\b/.exec(decl.replace(/\.(param|ptr|global|const|shared|local)\b/g, ''));
      const array = /\[(\d+)\]\s*$/.exec(decl);
      const bytes = type ? PTX_TYPE_BYTES[type[1]] * (array ? Number(array[1]) : 1) : NaN;
      params.push(bytes);
    }
    out.set(m[1], { name: m[1], params });
  }
  return out;
}

/** The params file the recorder reads: one `<name> <count> <size>...` line per kernel. */
export function paramsFile(entries: Map<string, PtxEntry>): string {
  return [...entries.values()].map((e) => `${e.name} ${e.params.length} ${e.params.join(' ')}`).join('\n') + '\n';
}

export type PlanRef = { kind: 'a' | 's'; id: number; off: number } | { kind: 'null' } | { kind: 'raw'; value: bigint };

export type PlanOp =
  | { op: 'alloc'; id: number; bytes: number }
  | { op: 'free'; id: number }
  | { op: 'memset'; dst: PlanRef; value: number; bytes: number }
  | { op: 'h2d'; dst: PlanRef; hex: string }
  | { op: 'd2d'; dst: PlanRef; src: PlanRef; bytes: number }
  | { op: 'attr'; kernel: string; attr: number; value: number }
  | {
      op: 'launch';
      kernel: string;
      grid: [number, number, number];
      block: [number, number, number];
      shared: number;
      args: ({ ptr: PlanRef } | { hex: string })[];
    };

export interface LaunchPlan {
  first: PlanOp[];
  steady: PlanOp[];
}

/** Limits on what a plan may ask for (CUDA's own limits where there is one). */
export const PLAN_LIMITS = {
  ops_per_call: 20_000,
  launches_per_call: 10_000,
  block_threads: 1024,
  grid_x: 2 ** 31 - 1,
  grid_yz: 65_535,
  shared_bytes: 256 * 1024,
  scratch_bytes: 8 * 1024 ** 3,
  /** cudaFuncSetAttribute attributes allowed: max dynamic shared memory (8), preferred carveout (9). */
  attrs: new Set([8, 9]),
};

export class PlanError extends Error {}

const INT = /^\d{1,20}$/;
const HEX = /^(?:[0-9a-f]{2})*$/;

function int(s: string | undefined, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (s === undefined || !INT.test(s)) throw new PlanError(`${what}: expected a non-negative integer, found ${JSON.stringify(s?.slice(0, 40))}`);
  const v = Number(s);
  if (!Number.isSafeInteger(v) || v > max) throw new PlanError(`${what}: ${s} is out of range (at most ${max})`);
  return v;
}

interface Context {
  buffers: number[]; // bytes of each harness buffer a<i>
  entries: Map<string, PtxEntry>;
}

function ref(s: string | undefined, ctx: Context, scratch: Map<number, number>, what: string): PlanRef {
  if (s === undefined) throw new PlanError(`${what}: missing`);
  if (s === '0') return { kind: 'null' };
  if (s.startsWith('raw:')) {
    if (!/^raw:\d{1,20}$/.test(s)) throw new PlanError(`${what}: malformed ${s.slice(0, 40)}`);
    return { kind: 'raw', value: BigInt(s.slice(4)) };
  }
  const m = /^([as])(\d{1,9})\+(\d{1,20})$/.exec(s);
  if (!m) throw new PlanError(`${what}: malformed reference ${JSON.stringify(s.slice(0, 40))}`);
  const kind = m[1] as 'a' | 's';
  const id = Number(m[2]);
  const off = int(m[3], what);
  const size = kind === 'a' ? ctx.buffers[id] : scratch.get(id);
  if (size === undefined) throw new PlanError(`${what}: ${kind === 'a' ? 'argument buffer' : 'scratch buffer'} ${id} does not exist here`);
  if (off > size) throw new PlanError(`${what}: offset ${off} is past the end of a ${size}-byte buffer`);
  return { kind, id, off };
}

function dims(w: string[], at: number, what: string, grid: boolean): [number, number, number] {
  const d = [0, 1, 2].map((i) => int(w[at + i], `${what}[${i}]`)) as [number, number, number];
  if (d.some((v) => v < 1)) throw new PlanError(`${what}: every dimension must be at least 1, found ${d.join('x')}`);
  if (grid && (d[0] > PLAN_LIMITS.grid_x || d[1] > PLAN_LIMITS.grid_yz || d[2] > PLAN_LIMITS.grid_yz))
    throw new PlanError(`${what}: ${d.join('x')} is past CUDA's grid limits`);
  if (!grid && d[0] * d[1] * d[2] > PLAN_LIMITS.block_threads) throw new PlanError(`${what}: ${d.join('x')} is more than ${PLAN_LIMITS.block_threads} threads`);
  return d;
}

function parseOp(line: string, ctx: Context, scratch: Map<number, number>): PlanOp {
  const w = line.split(' ');
  const what = w[0];
  switch (what) {
    case 'alloc': {
      const id = int(w[1], 'alloc id', 1e6);
      const bytes = int(w[2], 'alloc bytes', PLAN_LIMITS.scratch_bytes);
      scratch.set(id, bytes);
      return { op: 'alloc', id, bytes };
    }
    case 'free': {
      const id = int(w[1], 'free id', 1e6);
      if (!scratch.has(id)) throw new PlanError(`free of scratch buffer ${id}, which is not allocated`);
      scratch.delete(id);
      return { op: 'free', id };
    }
    case 'memset': {
      const dst = ref(w[1], ctx, scratch, 'memset target');
      return { op: 'memset', dst, value: int(w[2], 'memset value', 255), bytes: inBounds(dst, int(w[3], 'memset bytes'), ctx, scratch, 'memset') };
    }
    case 'h2d': {
      const dst = ref(w[1], ctx, scratch, 'copy target');
      const bytes = int(w[2], 'copy bytes', 1 << 20);
      const hex = w[3] ?? '';
      if (!HEX.test(hex) || hex.length !== 2 * bytes) throw new PlanError('h2d: the data does not match its length');
      inBounds(dst, bytes, ctx, scratch, 'h2d');
      return { op: 'h2d', dst, hex };
    }
    case 'd2d': {
      const dst = ref(w[1], ctx, scratch, 'copy target');
      const src = ref(w[2], ctx, scratch, 'copy source');
      const bytes = int(w[3], 'copy bytes');
      inBounds(dst, bytes, ctx, scratch, 'd2d target');
      inBounds(src, bytes, ctx, scratch, 'd2d source');
      return { op: 'd2d', dst, src, bytes };
    }
    case 'attr': {
      const kernel = w[1] ?? '';
      if (!ctx.entries.has(kernel)) throw new PlanError(`attr: no kernel ${kernel.slice(0, 80)} in the compiled device code`);
      const attr = int(w[2], 'attr');
      if (!PLAN_LIMITS.attrs.has(attr)) throw new PlanError(`attr: cudaFuncSetAttribute attribute ${attr} is not supported`);
      return { op: 'attr', kernel, attr, value: int(w[3], 'attr value', PLAN_LIMITS.shared_bytes) };
    }
    case 'launch': {
      const kernel = w[1] ?? '';
      const entry = ctx.entries.get(kernel);
      if (!entry) throw new PlanError(`launch: no kernel ${kernel.slice(0, 80)} in the compiled device code`);
      const grid = dims(w, 2, `launch ${kernel} grid`, true);
      const block = dims(w, 5, `launch ${kernel} block`, false);
      const shared = int(w[8], 'launch shared memory', PLAN_LIMITS.shared_bytes);
      const n = int(w[9], 'launch argument count', 4096);
      if (n !== entry.params.length || w.length !== 10 + n)
        throw new PlanError(`launch ${kernel}: ${n} arguments recorded, the kernel takes ${entry.params.length}`);
      const args = w.slice(10).map((a, i) => {
        if (a.startsWith('p:')) {
          if (entry.params[i] !== 8) throw new PlanError(`launch ${kernel}: argument ${i} is a pointer but the parameter has ${entry.params[i]} bytes`);
          return { ptr: ref(a.slice(2), ctx, scratch, `launch ${kernel} argument ${i}`) };
        }
        const hex = a.startsWith('x:') ? a.slice(2) : '';
        if (!HEX.test(hex) || hex.length !== 2 * entry.params[i])
          throw new PlanError(`launch ${kernel}: argument ${i} has ${hex.length / 2} bytes, the parameter ${entry.params[i]}`);
        return { hex };
      });
      return { op: 'launch', kernel, grid, block, shared, args };
    }
    default:
      throw new PlanError(`unknown plan line ${JSON.stringify(line.slice(0, 60))}`);
  }
}

function inBounds(r: PlanRef, bytes: number, ctx: Context, scratch: Map<number, number>, what: string): number {
  if (r.kind !== 'a' && r.kind !== 's') throw new PlanError(`${what}: the target is not a device buffer`);
  const size = r.kind === 'a' ? ctx.buffers[r.id] : scratch.get(r.id)!;
  if (r.off + bytes > size) throw new PlanError(`${what}: ${bytes} bytes at offset ${r.off} run past the end of a ${size}-byte buffer`);
  return bytes;
}

/** A call's ops with scratch ids allocated inside the call renumbered by first appearance, for comparison. */
function normalized(ops: PlanOp[]): string {
  const rename = new Map<number, number>();
  for (const o of ops) if (o.op === 'alloc') rename.set(o.id, 1_000_000 + rename.size);
  const id = (n: number) => rename.get(n) ?? n;
  const r = (x: PlanRef): PlanRef => (x.kind === 's' ? { ...x, id: id(x.id) } : x);
  const mapped = ops.map((o): PlanOp => {
    switch (o.op) {
      case 'alloc':
      case 'free':
        return { ...o, id: id(o.id) };
      case 'memset':
      case 'h2d':
        return { ...o, dst: r(o.dst) };
      case 'd2d':
        return { ...o, dst: r(o.dst), src: r(o.src) };
      case 'launch':
        return { ...o, args: o.args.map((a) => ('ptr' in a ? { ptr: r(a.ptr) } : a)) };
      default:
        return o;
    }
  });
  return JSON.stringify(mapped, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Parses and checks the recorder's output. `buffers` are the byte sizes of the problem's buffer arguments in
 * order (a0, a1, ...); `entries` the kernels of the compiled device code. Throws PlanError with a message for
 * the candidate when the plan cannot be replayed as it is.
 */
export function parsePlan(text: string, buffers: number[], entries: Map<string, PtxEntry>): LaunchPlan {
  const lines = text.split('\n');
  if (lines[0] !== 'gtm-launch-plan 1') throw new PlanError('the launch recorder wrote no plan (did the host code end the process?)');
  const ctx: Context = { buffers, entries };
  const scratch = new Map<number, number>();
  const calls: PlanOp[][] = [];
  let ended = false;
  for (const line of lines.slice(1)) {
    if (!line) continue;
    if (ended) throw new PlanError('the plan continues after its end');
    if (line === 'end') {
      ended = true;
      continue;
    }
    if (line.startsWith('unsupported ')) throw new PlanError(`the host code did something the device-only evaluator cannot replay: ${line.slice(12, 300)}`);
    const call = /^call (\d)$/.exec(line);
    if (call) {
      if (Number(call[1]) !== calls.length) throw new PlanError(`call ${call[1]} out of order`);
      calls.push([]);
      continue;
    }
    if (!calls.length) throw new PlanError('an operation before the first call');
    const ops = calls[calls.length - 1];
    ops.push(parseOp(line, ctx, scratch));
    if (ops.length > PLAN_LIMITS.ops_per_call) throw new PlanError(`more than ${PLAN_LIMITS.ops_per_call} operations in one call`);
    if (ops.filter((o) => o.op === 'launch').length > PLAN_LIMITS.launches_per_call)
      throw new PlanError(`more than ${PLAN_LIMITS.launches_per_call} launches in one call`);
  }
  if (!ended || calls.length !== 3)
    throw new PlanError(`the host code ended the process before its calls were recorded (${calls.length} of 3 calls, ${ended ? '' : 'no '}end mark)`);
  if (normalized(calls[1]) !== normalized(calls[2])) {
    throw new PlanError('the host code does different work on different calls (the second and third call differ): its work is not replayable');
  }
  return { first: calls[0], steady: calls[1] };
}

function refText(r: PlanRef): string {
  if (r.kind === 'null') return '0';
  if (r.kind === 'raw') return `raw:${r.value}`;
  return `${r.kind}${r.id}+${r.off}`;
}

function opText(o: PlanOp): string {
  switch (o.op) {
    case 'alloc':
      return `alloc ${o.id} ${o.bytes}`;
    case 'free':
      return `free ${o.id}`;
    case 'memset':
      return `memset ${refText(o.dst)} ${o.value} ${o.bytes}`;
    case 'h2d':
      return `h2d ${refText(o.dst)} ${o.hex.length / 2} ${o.hex}`;
    case 'd2d':
      return `d2d ${refText(o.dst)} ${refText(o.src)} ${o.bytes}`;
    case 'attr':
      return `attr ${o.kernel} ${o.attr} ${o.value}`;
    case 'launch':
      return `launch ${o.kernel} ${o.grid.join(' ')} ${o.block.join(' ')} ${o.shared} ${o.args.length}${o.args.map((a) => ' ' + ('ptr' in a ? `p:${refText(a.ptr)}` : `x:${a.hex}`)).join('')}`;
  }
}

/** The canonical text the runner reads. */
export function planText(plan: LaunchPlan): string {
  return ['segment first', ...plan.first.map(opText), 'segment steady', ...plan.steady.map(opText)].join('\n') + '\n';
}
