/**
 * QA tasks for the search agent from the JSONL files users bring: FlashRAG / Search-R1 style
 * `{id?, question, golden_answers: [...]}` (NQ, HotpotQA, TriviaQA as FlashRAG ships them), and the raw
 * HotpotQA / NQ-open shapes `{_id?, question, answer: "..."}` / `{question, answer: [...]}`. A row without an id
 * gets `line-N`. Reading, positions, duplicate ids and on_bad_row are the shared task file's (../task-file.ts).
 */
import { loadTaskFile, type TaskRow } from '../task-file.js';
import type { TaskLoadContext, TaskLoadResult } from '../types.js';

export interface QaPayload {
  question: string;
  golden_answers: string[];
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function readRow(row: Record<string, any>, line: number): TaskRow<QaPayload> {
  if (typeof row.question !== 'string' || row.question.trim() === '') return { error: { path: 'question', message: 'expected a non-empty string' } };
  const answers = row.golden_answers ?? row.answers ?? row.answer;
  const golden = typeof answers === 'string' ? [answers] : answers;
  if (!isStrings(golden) || golden.filter((g) => g.trim()).length === 0) {
    return { error: { path: 'golden_answers', message: 'expected a non-empty list of answer strings (or "answer": a string or a list)' } };
  }
  const rawId = row.id ?? row._id;
  if (rawId !== undefined && typeof rawId !== 'string' && typeof rawId !== 'number') return { error: { path: 'id', message: 'expected a string or a number' } };
  return {
    id: rawId !== undefined ? String(rawId) : `line-${line}`,
    payload: { question: row.question.trim(), golden_answers: golden.filter((g) => g.trim()) },
  };
}

export function loadQaTasks(ctx: Pick<TaskLoadContext, 'file' | 'on_bad_row'>): TaskLoadResult<QaPayload> {
  return loadTaskFile(ctx, '{question, golden_answers}', readRow);
}
