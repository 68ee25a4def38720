/**
 * Where the harness's client CPU goes, per stage, measured with V8's sampling profiler (the one behind
 * `node --cpu-prof`, started through node:inspector so that only the measured pass is sampled, not start-up
 * or warm-up). Each sample is charged to the innermost stage marker on its stack: a frame of the prompt
 * template is "prompt render", an ajv validator called by scoreFormat is "format", undici is "HTTP", and so
 * on (STAGES below). What no marker claims is "other" and is listed by function, so nothing is hidden.
 *
 * Only the main thread is sampled; process.cpuUsage() counts every thread of the process (GC helpers,
 * libuv), and both are printed, so the difference is visible rather than guessed.
 */
import { Session } from 'node:inspector/promises';

export interface StageRow {
  stage: string;
  us_per_call: number;
  share: number;
}

type Frame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: Frame; children?: number[] };
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Stage markers, innermost first wins. `url` is matched as a substring of the frame's script URL. */
const STAGES: { stage: string; url?: RegExp; fn?: RegExp }[] = [
  { stage: 'write', fn: /^writeSync$|^writeFileSync$|^writev?Sync$/ },
  { stage: 'prompt render', url: /harness\/prompts\/template\./ },
  { stage: 'parse', url: /harness\/parse\// },
  { stage: 'format', url: /harness\/scoring\/(format|schema-walk)\./ },
  { stage: 'logic', url: /harness\/scoring\/(logic|invariant-runner|invariant-fields|refusal)\.|harness\/scoring\/jsonata-sync\/|node_modules\/jsonata\// },
  { stage: 'semantic', url: /harness\/scoring\/(semantic|semantic-spec|text-sim|paths)\./ },
  { stage: 'record serialisation', url: /harness\/records\/(build|writer|record-line)\.|harness\/util\/json-splice\./ },
  { stage: 'HTTP', url: /node_modules\/undici\/|^node:(net|_http|stream|internal\/(stream|streams|net|js_stream|buffer|timers))/ },
  { stage: 'HTTP', url: /harness\/(targets|net)\/(openai-stream|openai-errors|call-error)\./ },
  { stage: 'request serialisation', url: /harness\/targets\/openai-client\./ },
  { stage: 'retry + deadline wrapper', url: /harness\/(targets|net)\/(retry|http-attempt|replica-set|abort-fanout)\./ },
  { stage: 'target (openai.ts)', url: /harness\/targets\/openai\./ },
  { stage: 'engine + scorer glue', url: /harness\/(engine|run|scoring\/index)\// },
  { stage: 'engine + scorer glue', url: /harness\/scoring\/(index|compile)\./ },
  { stage: 'garbage collection', fn: /^\(garbage collector\)$/ },
];

function stageOf(f: Frame): string | undefined {
  for (const s of STAGES) {
    if (s.fn && !s.fn.test(f.functionName)) continue;
    if (s.url && !s.url.test(f.url)) continue;
    return s.stage;
  }
  return undefined;
}

/** Profiles `body` with the sampling profiler; returns its result and the profile. */
export async function profiled<T>(body: () => Promise<T>, intervalUs = 200): Promise<{ result: T; profile: Profile }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  try {
    const result = await body();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    return { result, profile };
  } finally {
    session.disconnect();
  }
}

/**
 * CPU per call by stage (µs) from a profile of `calls` calls. The profiler's sample gaps are wall time, which
 * on a shared machine includes time the process waited for a core, so each stage's share of the non-idle
 * samples is applied to `cpuUsPerCall` (process.cpuUsage over the same pass) rather than reported as is.
 */
export function stagesOf(profile: Profile, calls: number, cpuUsPerCall: number): { rows: StageRow[]; sampledUsPerCall: number; otherTop: string[] } {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const stageCache = new Map<number, string>();
  const resolve = (id: number): string => {
    const hit = stageCache.get(id);
    if (hit) return hit;
    const node = byId.get(id)!;
    const f = node.callFrame;
    let s: string;
    if (f.functionName === '(idle)') s = '(idle)';
    else if (f.functionName === 'runMicrotasks' || f.functionName === 'processTicksAndRejections') s = 'promise/microtask plumbing';
    else if (f.functionName === '(program)') s = 'V8/native (program)';
    else s = stageOf(f) ?? (parent.has(id) ? resolve(parent.get(id)!) : 'other');
    stageCache.set(id, s);
    return s;
  };
  const totals = new Map<string, number>();
  const other = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    const dt = profile.timeDeltas[i + 1] ?? 0; // a sample's time is the gap to the next sample
    const s = resolve(id);
    totals.set(s, (totals.get(s) ?? 0) + dt);
    if (s === 'other') {
      const f = byId.get(id)!.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules\/[^/]+|harness)\//, '$1/')}:${f.lineNumber + 1}`;
      other.set(key, (other.get(key) ?? 0) + dt);
    }
  }
  totals.delete('(idle)');
  const sampled = [...totals.values()].reduce((a, b) => a + b, 0);
  const rows = [...totals.entries()]
    .map(([stage, us]) => ({ stage, us_per_call: Math.round((us / sampled) * cpuUsPerCall * 10) / 10, share: Math.round((us / sampled) * 1000) / 10 }))
    .sort((a, b) => b.us_per_call - a.us_per_call);
  const otherTop = [...other.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([k, us]) => `${(Math.round((us / sampled) * cpuUsPerCall * 10) / 10).toString().padStart(6)} µs  ${k}`);
  return { rows, sampledUsPerCall: Math.round((sampled / calls) * 10) / 10, otherTop };
}
