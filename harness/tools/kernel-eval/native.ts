/**
 * The evaluator's own native programs, built once per machine and cached: the launch recorder's object
 * (native/launch-recorder.cpp, linked with each candidate's host code in place of the CUDA runtime), one
 * recorder `main` per problem (calls `solution` with fake pointers), and the trusted runner (native/runner.cu,
 * the only program that touches the GPU). They are the harness's code, not the candidate's, so they are built
 * outside the sandbox, into a folder named by a hash of their sources, the compiler and the architecture.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../../util/hash.js';
import type { KernelEnvironment } from './environment.js';
import { solutionSignature, type KernelProblem } from './problem.js';

const NATIVE = join(dirname(fileURLToPath(import.meta.url)), 'native');

export interface NativeTools {
  /** The launch recorder's object file. */
  recorder: string;
  /** The trusted runner binary. */
  runner: string;
  /** Folder of the cached builds. */
  dir: string;
}

function nvcc(args: string[], cwd: string, env: Pick<KernelEnvironment, 'cuda_root'>): Promise<void> {
  const PATH = [env.cuda_root ? `${env.cuda_root}/bin` : null, process.env.PATH].filter(Boolean).join(':');
  return new Promise((resolve, reject) => {
    execFile('nvcc', args, { cwd, env: { PATH, HOME: cwd, TMPDIR: cwd }, timeout: 300_000, maxBuffer: 4 << 20 }, (err, _out, stderr) =>
      err ? reject(new Error(`building the kernel evaluator's ${args[args.length - 1]} failed: ${stderr || err.message}`)) : resolve(),
    );
  });
}

/** Builds `outName` in `dir` unless it is there, through a private folder and an atomic rename. */
async function buildOnce(dir: string, outName: string, build: (work: string, out: string) => Promise<void>): Promise<string> {
  const final = join(dir, outName);
  if (existsSync(final)) return final;
  const work = await mkdtemp(join(dir, '.build-'));
  try {
    await build(work, join(work, outName));
    await chmod(join(work, outName), 0o755);
    await rename(join(work, outName), final);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return final;
}

/**
 * Where builds are cached: $XDG_CACHE_HOME/gtm-bench or ~/.cache/gtm-bench (not TMPDIR, which tests and
 * users point at private folders). Sandboxes never see this folder: what they need is copied in.
 */
function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gtm-bench');
}

const building = new Map<string, Promise<NativeTools>>();

export function nativeTools(env: Pick<KernelEnvironment, 'cuda_root' | 'nvcc_version' | 'arch'>): Promise<NativeTools> {
  const key = `${env.nvcc_version}|${env.arch}`;
  let p = building.get(key);
  if (!p) {
    p = (async () => {
      const [recorderSrc, runnerSrc] = await Promise.all([readFile(join(NATIVE, 'launch-recorder.cpp'), 'utf8'), readFile(join(NATIVE, 'runner.cu'), 'utf8')]);
      const dir = join(cacheRoot(), `kernel-native-${sha256(recorderSrc + runnerSrc + key).slice(0, 16)}`);
      await mkdir(dir, { recursive: true, mode: 0o755 });
      await chmod(dir, 0o755);
      const [recorder, runner] = await Promise.all([
        buildOnce(dir, 'launch-recorder.o', (work, out) =>
          nvcc(['-c', '-O1', '-std=c++17', '-Xcompiler', '-fPIC', join(NATIVE, 'launch-recorder.cpp'), '-o', out], work, env),
        ),
        buildOnce(dir, 'runner', (work, out) => nvcc(['-O2', '-std=c++17', `-arch=${env.arch}`, join(NATIVE, 'runner.cu'), '-o', out], work, env)),
      ]);
      return { recorder, runner, dir };
    })();
    p.catch(() => building.delete(key));
    building.set(key, p);
  }
  return p;
}

/** The buffers of a `cuda` problem in argument order: recorder index i is the i-th buffer argument. */
export function bufferArgs(problem: KernelProblem) {
  return problem.args.filter((a) => a.role === 'input' || a.role === 'output');
}

/** Evaluates a problem's element-count expression ("rows*cols") with its int arguments. */
export function elementCount(problem: KernelProblem, count: string): number {
  const ints = new Map(problem.args.filter((a) => a.role === 'int').map((a) => [a.name, (a as { value: number }).value]));
  return count.split('*').reduce((n, t) => n * (/^\d+$/.test(t.trim()) ? Number(t.trim()) : ints.get(t.trim())!), 1);
}

function cxxFloat(v: number): string {
  const s = String(v);
  return /[.eE]/.test(s) ? `${s}f` : `${s}.0f`;
}

/** The recorder's `main` for a problem: three calls of `solution` with fake buffers and the problem's scalars. */
export function recorderMainSource(problem: KernelProblem): string {
  const bufs = bufferArgs(problem);
  const sizes = bufs.map((b) => `${elementCount(problem, b.count) * 4}ull`).join(', ');
  let i = 0;
  const call = problem.args
    .map((a) => {
      if (a.role === 'input') return `(const float*)gtm_recorder_pointer(${i++})`;
      if (a.role === 'output') return `(float*)gtm_recorder_pointer(${i++})`;
      return a.role === 'int' ? String(a.value) : cxxFloat(a.value);
    })
    .join(', ');
  return `// Generated by gtm-bench (harness/tools/kernel-eval/native.ts) for problem ${problem.id}.
extern "C" void gtm_recorder_begin(const char*, int, const unsigned long long*);
extern "C" void* gtm_recorder_pointer(int);
extern "C" void gtm_recorder_call(int);
extern "C" void gtm_recorder_finish(const char*);
${solutionSignature(problem)};
int main(int argc, char** argv) {
  if (argc != 3) return 6;
  static const unsigned long long sizes[] = {${sizes}};
  gtm_recorder_begin(argv[1], ${bufs.length}, sizes);
  for (int k = 0; k < 3; ++k) {
    gtm_recorder_call(k);
    solution(${call});
  }
  gtm_recorder_finish(argv[2]);
}
`;
}

/** The recorder main's object for a problem, built once and cached next to the other native tools. */
export async function recorderMain(problem: KernelProblem, tools: NativeTools, env: Pick<KernelEnvironment, 'cuda_root'>): Promise<string> {
  const source = recorderMainSource(problem);
  const name = `main-${problem.id}-${sha256(source).slice(0, 12)}.o`;
  return buildOnce(tools.dir, name, async (work, out) => {
    await writeFile(join(work, 'main.cpp'), source);
    await nvcc(['-c', '-O1', join(work, 'main.cpp'), '-o', out], work, env);
  });
}

/**
 * The runner's spec file for a problem: seed, run counts, the key and size of the per-timed-run output
 * samples, and the buffers with their fills.
 */
export function runnerSpec(
  problem: KernelProblem,
  seed: bigint,
  runs: { trials: number; warmup: number; iters: number },
  sample: { key: bigint; count: number } = { key: 0n, count: 0 },
): string {
  const lines = [`seed ${seed}`, `runs ${runs.trials} ${runs.warmup} ${runs.iters}`, `sample ${sample.key} ${sample.count}`];
  bufferArgs(problem).forEach((b, i) => {
    const count = elementCount(problem, b.count);
    lines.push(b.role === 'input' ? `buffer ${i} input ${count} ${b.init[0]} ${b.init[1]}` : `buffer ${i} output ${count}`);
  });
  return lines.join('\n') + '\n';
}
