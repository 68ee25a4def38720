/**
 * Kernel-optimisation tasks for the agent: a JSONL file of `{problem_id, id?, problems?}` rows naming problems
 * of the kernel evaluator (harness/tools/kernel-eval/problem.ts). The problems folder is `problems` next to the
 * task file unless a row says otherwise (relative to the task file). Reading, positions, duplicate ids and
 * on_bad_row are the shared task file's (../task-file.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { displayPath } from '../../util/display-path.js';
import { loadProblems, solutionSignature, type KernelProblem } from '../../tools/kernel-eval/problem.js';
import { loadTaskFile } from '../task-file.js';
import type { TaskLoadContext, TaskLoadResult } from '../types.js';

/** What the policy is shown about a problem (the evaluator itself knows it by problem_id). */
export interface KernelTaskPayload {
  problem_id: string;
  title: string;
  description: string;
  level: number;
  /** `void solution(...)`, the entry point every candidate must define. */
  signature: string;
  reference_source: string;
  format: 'cuda' | 'kernelbench';
}

export function kernelPayload(p: KernelProblem): KernelTaskPayload {
  return {
    problem_id: p.id,
    title: p.title,
    description: p.description,
    level: p.level,
    signature: p.format === 'cuda' ? solutionSignature(p) : 'class ModelNew(nn.Module) with the same forward as Model',
    reference_source: p.reference_source,
    format: p.format,
  };
}

export function loadKernelTasks(ctx: Pick<TaskLoadContext, 'file' | 'on_bad_row'>): TaskLoadResult<KernelTaskPayload> {
  // Each problems folder is read once, however many rows name it.
  const folders = new Map<string, Map<string, KernelProblem>>();
  const problemsIn = (dir: string) => {
    if (!folders.has(dir)) folders.set(dir, loadProblems(dir));
    return folders.get(dir)!;
  };
  return loadTaskFile<KernelTaskPayload>(ctx, '{problem_id, id?, problems?}', (row) => {
    const bad = (path: string, message: string) => ({ error: { path, message } });
    if (typeof row.problem_id !== 'string' || !row.problem_id) return bad('problem_id', 'expected a problem id such as "03_relu"');
    if (row.problems !== undefined && typeof row.problems !== 'string') return bad('problems', 'expected a folder path (relative to the task file)');
    const dir = resolve(dirname(ctx.file), row.problems ?? 'problems');
    if (!existsSync(dir)) return bad('problems', `no problems folder ${displayPath(dir)}`);
    const problem = problemsIn(dir).get(row.problem_id);
    if (!problem) return bad('problem_id', `no problem ${row.problem_id} in ${displayPath(dir)}; known: ${[...problemsIn(dir).keys()].join(', ')}`);
    return { id: row.id === undefined ? row.problem_id : String(row.id), payload: kernelPayload(problem) };
  });
}

/** Every problem of a folder as task rows (used to write datasets/kernels/agent-tasks.jsonl). */
export function taskRowsFor(problemsDir: string): string {
  return [...loadProblems(problemsDir).keys()].map((id) => JSON.stringify({ problem_id: id })).join('\n') + '\n';
}
