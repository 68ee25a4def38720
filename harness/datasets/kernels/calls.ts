/**
 * The kernel-fidelity dataset from the problems and the real evaluator's recorded outputs: one call per
 * candidate, `{id, tool: 'kernel_eval', arguments: {problem_id, source}, reference, tags}`. The intended
 * outcome of each candidate travels in its tags (`intended:wrong`), next to level and category, so a report
 * can break agreement down by what each candidate was written to do. Pure: same inputs, same bytes.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CandidateIntent, KernelProblem } from '../../tools/kernel-eval/problem.js';
import type { KernelEvalResult } from '../../tools/kernel-eval/result.js';

/** One line of recorded/evaluations.jsonl: what the real evaluator said about one candidate. */
export interface RecordedEvaluation {
  id: string;
  problem_id: string;
  candidate: string;
  intended: CandidateIntent;
  note: string;
  result: KernelEvalResult;
  compile_ms: number | null;
  run_ms: number | null;
}

export interface KernelCallRow {
  id: string;
  tool: 'kernel_eval';
  arguments: { problem_id: string; source: string };
  reference: KernelEvalResult;
  tags: string[];
}

/** `03_relu.fused_float4` for candidates/fused_float4.cu of problem 03_relu. */
export function candidateId(problemId: string, file: string): string {
  return `${problemId}.${basename(file).replace(/\.(cu|py)$/, '')}`;
}

export function candidateSource(problem: KernelProblem, file: string): string {
  return readFileSync(join(problem.dir, file), 'utf8');
}

export function buildKernelCalls(problems: Map<string, KernelProblem>, recorded: RecordedEvaluation[]): KernelCallRow[] {
  const byId = new Map(recorded.map((r) => [r.id, r]));
  const rows: KernelCallRow[] = [];
  for (const problem of problems.values()) {
    for (const c of problem.candidates) {
      const id = candidateId(problem.id, c.file);
      const rec = byId.get(id);
      if (!rec) throw new Error(`no recorded evaluation for ${id}; run npm run record:kernels`);
      rows.push({
        id,
        tool: 'kernel_eval',
        arguments: { problem_id: problem.id, source: candidateSource(problem, c.file) },
        reference: rec.result,
        tags: [`level:${problem.level}`, `category:${problem.category}`, `format:${problem.format}`, `intended:${c.intended}`],
      });
    }
  }
  return rows;
}
