/**
 * The optional `serve:` section of a suite: a checkpoint gtm-bench starts `vllm serve` for, and the openai
 * targets whose base_url and model the running server fills. Built here from the schema-valid raw section:
 * environment interpolation (an unset variable marks the section not configured, like a target), defaults,
 * the checkpoint path, and the check that every named target exists and is an openai target.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Problem } from '../util/errors.js';
import { interpolate, notConfiguredReason } from '../suite/interpolate.js';
import { showValue } from '../suite/describe.js';
import { problemAt, type SourceFile } from '../suite/source.js';
import { defineSection } from '../suite/sections.js';

export const DEFAULT_SERVE_HOST = '127.0.0.1';
/** Loading a 1.5B checkpoint takes well under a minute; a large one with CUDA graph capture several. */
export const DEFAULT_STARTUP_TIMEOUT_S = 900;
/** vLLM drains and frees the GPU within seconds of SIGTERM; after this long it gets SIGKILL. */
export const DEFAULT_STOP_TIMEOUT_S = 30;

export interface ServeSpec {
  /** Checkpoint folder (absolute) or a model id vLLM resolves itself (e.g. a Hugging Face repo id). */
  checkpoint: string;
  /** openai targets the server fills; default every openai target of the suite. */
  targets?: string[];
  /** `--served-model-name`; the targets' model. Default: the checkpoint as given (vLLM's own default). */
  served_model_name?: string;
  /** The vllm executable; `--vllm` and $GTM_BENCH_VLLM take precedence. Default `vllm` on PATH. */
  executable?: string;
  host: string;
  /** Default: a free port picked when the run starts. */
  port?: number;
  tensor_parallel_size?: number;
  /** Extra arguments passed to `vllm serve` as they are. */
  args: string[];
  startup_timeout_s: number;
  stop_timeout_s: number;
  /** Set when a variable the section needs is unset: nothing is served, the targets stay as the suite has them. */
  not_configured?: string;
}

type Raw = Record<string, any>;

/**
 * A relative checkpoint is a folder next to the suite when it starts with `.` or exists there; otherwise it
 * is left as written, since `org/model` is how vLLM is given a Hugging Face id.
 */
function resolveCheckpoint(suiteFile: string, text: string): string {
  if (isAbsolute(text)) return text;
  const local = resolve(dirname(suiteFile), text);
  return text.startsWith('.') || existsSync(local) ? local : text;
}

export function buildServe(
  src: SourceFile,
  raw: Raw,
  targets: { name: string; kind: string }[],
  env: Record<string, string | undefined>,
): { serve: ServeSpec; problems: Problem[] } {
  const r = interpolate(raw, env);
  const problems: Problem[] = r.malformed.map((m) =>
    problemAt(src, '/serve' + m.pointer, `expected \${NAME} or \${NAME:-default} (write $\${ for a literal \${), found ${showValue(m.text)}`),
  );
  const v = r.value;
  const names = (v.targets as string[] | undefined) ?? undefined;
  (names ?? []).forEach((name, i) => {
    const t = targets.find((x) => x.name === name);
    if (!t)
      problems.push(
        problemAt(
          src,
          `/serve/targets/${i}`,
          `expected the name of a target of this suite, found ${showValue(name)}; its targets are ${targets.map((x) => x.name).join(', ')}`,
        ),
      );
    else if (t.kind !== 'openai')
      problems.push(problemAt(src, `/serve/targets/${i}`, `target ${name} is ${t.kind}; a served checkpoint can only fill openai targets`));
  });
  if (names === undefined && !targets.some((t) => t.kind === 'openai')) {
    problems.push(problemAt(src, '/serve', 'the suite has no openai target for the served checkpoint to fill', 'key'));
  }
  const notConfigured = notConfiguredReason(r.missing);
  const serve: ServeSpec = {
    checkpoint: notConfigured ? v.checkpoint : resolveCheckpoint(src.path, v.checkpoint),
    ...(names ? { targets: names } : {}),
    ...(v.served_model_name !== undefined ? { served_model_name: v.served_model_name } : {}),
    // A path with a slash is relative to the suite file, like every path in a suite; a bare name is looked up on PATH.
    ...(v.executable !== undefined
      ? { executable: v.executable.includes('/') && !isAbsolute(v.executable) ? resolve(dirname(src.path), v.executable) : v.executable }
      : {}),
    host: v.host ?? DEFAULT_SERVE_HOST,
    ...(v.port !== undefined ? { port: v.port } : {}),
    ...(v.tensor_parallel_size !== undefined ? { tensor_parallel_size: v.tensor_parallel_size } : {}),
    args: v.args ?? [],
    startup_timeout_s: v.startup_timeout_s ?? DEFAULT_STARTUP_TIMEOUT_S,
    stop_timeout_s: v.stop_timeout_s ?? DEFAULT_STOP_TIMEOUT_S,
    ...(notConfigured ? { not_configured: notConfigured } : {}),
  };
  return { serve, problems };
}

declare module '../suite/types.js' {
  interface SuiteSections {
    /** A checkpoint gtm-bench serves with vLLM for the run. */
    serve: ServeSpec;
  }
}

/** The `serve:` section: a checkpoint gtm-bench starts with vLLM for the run's openai targets. */
export const serveSection = defineSection({
  key: 'serve',
  schemaDef: 'serve',
  build: (raw, ctx) => {
    const { serve, problems } = buildServe(ctx.src, raw, ctx.targets, ctx.env);
    return { value: serve, problems };
  },
});
