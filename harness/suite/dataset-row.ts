/**
 * One dataset line to one DatasetCall, or to the problems that stop it. Rows are parsed with JSON.parse
 * (fast, and its message is what a user searching the web will find); only a bad row is parsed a second
 * time as YAML, to learn the column of the offending field.
 */
import type { ValidateFunction } from 'ajv';
import type { Problem } from '../util/errors.js';
import { ajvProblems } from './ajv-problems.js';
import { didYouMean, showValue } from './describe.js';
import { parseSource, positionOf, type SourceFile } from './source.js';
import type { DatasetCall } from './types.js';
import { parseSessionRow } from './session-row.js';

const ROW_KEYS = ['id', 'tool', 'arguments', 'reference', 'expect_error', 'tags', 'gold'];

export interface RowContext {
  dataset: string;
  /** Dataset path as shown in messages. */
  display: string;
  /** Argument validators by tool name. */
  tools: Map<string, ValidateFunction>;
  /** Where each id was first seen, across every dataset of the suite. */
  seenIds: Map<string, { dataset: string; line: number }>;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Column (1-based) of JSON.parse's "at position N", when the message has one. */
function jsonErrorColumn(message: string): number {
  const m = /position (\d+)/.exec(message);
  return m ? Number(m[1]) + 1 : 1;
}

export function parseRow(text: string, line: number, ctx: RowContext): { call?: DatasetCall; calls?: DatasetCall[]; problems: Problem[] } {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    return { problems: [{ file: ctx.display, line, column: jsonErrorColumn(message), path: '', message: `not valid JSON: ${message}` }] };
  }
  let rowSrc: SourceFile | undefined;
  const problems: Problem[] = [];
  // The row re-parsed as YAML gives node positions; its line 1 is the dataset's line `line`.
  // `field` names the key for a problem placed on the whole row (a missing key).
  const add = (pointer: string, message: string, at: 'key' | 'value' = 'value', field = pointer.split('/')[1] ?? '') => {
    rowSrc ??= parseSource(Buffer.from(text), ctx.display, ctx.display);
    const column = rowSrc.syntaxProblems.length ? 1 : positionOf(rowSrc, pointer, at).column;
    problems.push({ file: ctx.display, line, column, path: field, message });
  };

  if (!isObject(row)) {
    add('', `expected an object {id, tool, arguments, ...}, found ${showValue(row)}`);
    return { problems };
  }
  if ('session' in row) {
    // A multi-turn session: each step is checked as a row of its own (session-row.ts).
    const at = (path: string, message: string): Problem => ({ file: ctx.display, line, column: 1, path, message });
    return parseSessionRow(row, at, (step) => parseRow(JSON.stringify(step), line, ctx));
  }
  for (const key of Object.keys(row)) {
    if (!ROW_KEYS.includes(key)) {
      const guess = didYouMean(key, ROW_KEYS);
      add(`/${key}`, `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; allowed keys: ${ROW_KEYS.join(', ')}`, 'key');
    }
  }
  const { id, tool, arguments: args, expect_error, tags } = row;
  if (id === undefined) add('', 'missing required key "id"', 'value', 'id');
  else if (typeof id !== 'string' || !id) add('/id', `expected a non-empty string, found ${showValue(id)}`);
  else {
    const first = ctx.seenIds.get(id);
    if (first) add('/id', `duplicate id "${id}"; first used on line ${first.line}${first.dataset !== ctx.dataset ? ` of dataset ${first.dataset}` : ''}`);
    else ctx.seenIds.set(id, { dataset: ctx.dataset, line });
  }
  const validate = typeof tool === 'string' ? ctx.tools.get(tool) : undefined;
  if (tool === undefined) add('', 'missing required key "tool"', 'value', 'tool');
  else if (typeof tool !== 'string') add('/tool', `expected a tool name (a string), found ${showValue(tool)}`);
  else if (!validate) {
    const known = [...ctx.tools.keys()];
    const guess = didYouMean(tool, known);
    add('/tool', `unknown tool "${tool}"${guess ? ` (did you mean "${guess}"?)` : ''}; known tools: ${known.join(', ')}`);
  }
  if (args === undefined) add('', 'missing required key "arguments"', 'value', 'arguments');
  else if (!isObject(args)) add('/arguments', `expected an object of arguments, found ${showValue(args)}`);
  if (expect_error !== undefined && typeof expect_error !== 'boolean') add('/expect_error', `expected true or false, found ${showValue(expect_error)}`);
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))) {
    add('/tags', `expected an array of strings, found ${showValue(tags)}`);
  }
  if (row.gold !== undefined && !isObject(row.gold))
    add('/gold', `expected an object of gold data (e.g. {"golden_answers": [...]}), found ${showValue(row.gold)}`);
  // A call meant to be valid must be valid: otherwise its reference scores a simulator on a wrong premise.
  if (validate && isObject(args) && expect_error !== true && !validate(args)) {
    rowSrc ??= parseSource(Buffer.from(text), ctx.display, ctx.display);
    const found = ajvProblems(rowSrc, validate.errors ?? [], '/arguments');
    const detail = found.map((p) => `${p.path.slice('/arguments'.length) || '(arguments)'}: ${p.message}`);
    problems.push({
      file: ctx.display,
      line,
      column: found[0]?.column ?? 1,
      path: 'arguments',
      message: `arguments do not satisfy tool ${tool}'s parameters: ${detail.join('; ')}; mark the row expect_error: true if the call is meant to be invalid`,
    });
  }
  if (problems.length) return { problems: problems.sort((a, b) => a.column - b.column) };

  const call: DatasetCall = { id: id as string, tool: tool as string, arguments: args as Record<string, unknown>, source: { dataset: ctx.dataset, line } };
  if ('reference' in row) call.reference = row.reference;
  if (expect_error !== undefined) call.expect_error = expect_error as boolean;
  if (tags !== undefined) call.tags = tags as string[];
  if (row.gold !== undefined) call.gold = row.gold as Record<string, unknown>;
  return { call, problems };
}
