/**
 * `predictions`: answers each call with an answer produced elsewhere (another harness, a paper's release, an
 * API log), read from a JSONL file of `{id, output}` (the tool's output value) or `{id, raw}` (the answer text
 * exactly as the simulator wrote it, scored through the same parser as a live answer), matched by call id.
 * Option `file`, relative to the suite file. A malformed line, a line with neither or both of output/raw, and
 * a repeated id fail at load with file:line; a call with no prediction is a tool_failure for that call
 * (counted in the error rate, not scored), so a partial file shows up as errors, never as a silent subset.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import type { TargetFactoryContext, TargetOptionsSpec } from './registry.js';
import { optionSchema as o, TargetOptions } from './target-options.js';
import type { CallContext, Observation, Target } from './types.js';
import type { TargetSpec } from '../suite/types.js';

export const PREDICTIONS_OPTIONS: TargetOptionsSpec = {
  properties: { file: o.text('JSONL of {id, output} or {id, raw}, one answer per call id, relative to the suite file') },
  required: ['file'],
};

export function readPredictions(file: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read the predictions file: ${(err as Error).message}`);
  }
  const out = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const at = `${file}:${i + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      // JSON.parse quotes the line: only once the file has shown itself to be JSON lines (util/foreign-file.ts).
      throw new UserError(`${at}: not JSON${out.size ? `: ${(err as Error).message}` : ' (not a JSONL predictions file; nothing of it is quoted)'}`);
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new UserError(`${at}: expected an object {id, output} or {id, raw}`);
    const r = row as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id === '') throw new UserError(`${at}: id must be a non-empty string`);
    const hasOutput = Object.hasOwn(r, 'output');
    const hasRaw = Object.hasOwn(r, 'raw');
    if (hasOutput === hasRaw) throw new UserError(`${at}: give exactly one of output (the value) or raw (the answer text)`);
    if (hasRaw && typeof r.raw !== 'string') throw new UserError(`${at}: raw must be a string (the answer text as written)`);
    if (out.has(r.id)) throw new UserError(`${at}: id ${r.id} appears twice`);
    out.set(r.id, hasRaw ? (r.raw as string) : JSON.stringify(r.output));
  }
  return out;
}

export async function createPredictionsTarget(spec: TargetSpec, ctx: TargetFactoryContext): Promise<Target> {
  const file = new TargetOptions(spec, ctx.suite.file, PREDICTIONS_OPTIONS).path('file');
  const answers = readPredictions(file);
  const backend = `predictions (${answers.size} answers from ${file})`;
  return {
    name: spec.name,
    kind: spec.kind,
    backend,
    describe: () => ({ name: spec.name, kind: spec.kind, backend, file }),
    async call(c: CallContext): Promise<Observation> {
      const request = { tool: c.tool.name, arguments: c.call.arguments };
      const raw = answers.get(c.call.id);
      if (raw === undefined) {
        return { raw: null, request, latency_ms: 0, retries: 0, error: { class: 'tool_failure', message: `no prediction for call ${c.call.id} in ${file}` } };
      }
      return { raw, request, latency_ms: 0, retries: 0, error: null };
    },
  };
}
