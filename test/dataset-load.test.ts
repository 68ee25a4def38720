// Dataset rows: each malformed fixture must name the file, the line, the column of the field, the field,
// and what was wrong; `skip` sets bad rows aside; ids are unique across a suite's datasets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../harness/builtin.js';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataset } from '../harness/suite/dataset.js';
import { loadSuite, readSuite } from '../harness/suite/load.js';
import type { DatasetSpec } from '../harness/suite/types.js';
import { UserError, type Problem } from '../harness/util/errors.js';
import { sha256 } from '../harness/util/hash.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const shown = (name: string) => relative(process.cwd(), fixture(name));
// Tools `lookup` (id: string matching ^[a-z]+-[0-9]+$, limit: integer >= 1) and `echo` (text: non-empty string).
const tools = readSuite(fixture('suites/valid/suite.yaml'), { env: {} }).tools;

const spec = (file: string, on_bad_row: DatasetSpec['on_bad_row'] = 'fail'): DatasetSpec => ({ name: 'd', path: fixture(`datasets/${file}`), on_bad_row });

function failure(file: string): UserError {
  try {
    readDataset(spec(file), tools);
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error(`${file} loaded without problems`);
}

type Expected = [line: number, column: number, field: string, phrase: string];

function check(file: string, expected: Expected[]) {
  test(`bad dataset ${file}`, () => {
    const err = failure(file);
    assert.is(err.exitCode, 2);
    assert.is(err.message, `dataset d (${shown(`datasets/${file}`)}) is invalid (${expected.length} problem${expected.length === 1 ? '' : 's'})`);
    assert.equal(
      err.problems.map((p: Problem) => [p.file, p.line, p.column, p.path]),
      expected.map(([line, column, field]) => [shown(`datasets/${file}`), line, column, field]),
      err.render(),
    );
    expected.forEach(([, , , phrase], i) => assert.ok(err.problems[i].message.includes(phrase), `"${err.problems[i].message}" should say "${phrase}"`));
  });
}

check('bad-json.jsonl', [[2, 56, '', 'not valid JSON: Expected double-quoted property name in JSON at position 55']]);
check('bad-ids.jsonl', [
  [1, 1, 'id', 'missing required key "id"'],
  [2, 7, 'id', 'expected a non-empty string, found 7'],
]);
check('duplicate-id.jsonl', [[4, 7, 'id', 'duplicate id "echo-1"; first used on line 1']]);
check('unknown-tool.jsonl', [[1, 20, 'tool', 'unknown tool "ecko" (did you mean "echo"?); known tools: lookup, echo']]);
check('bad-fields.jsonl', [
  [1, 39, 'arguments', 'expected an object of arguments, found an array of 1 item'],
  [2, 67, 'expect_error', 'expected true or false, found "yes"'],
  [3, 59, 'tags', 'expected an array of strings, found "easy"'],
  [3, 66, 'expected_error', 'unknown key "expected_error" (did you mean "expect_error"?)'],
]);
// Row 1 is valid; row 2 breaks `limit: minimum 1` without expect_error; row 3 breaks it too, but says so.
check('args-invalid.jsonl', [
  [2, 69, 'arguments', "arguments do not satisfy tool lookup's parameters: /limit: expected an integer >= 1, found 0; mark the row expect_error: true"],
]);
check('empty.jsonl', [[0, 0, '', 'dataset d has no calls: the file has no rows']]);

test('a valid dataset: rows in file order, blank lines skipped but counted, optional fields kept', () => {
  const r = readDataset(spec('valid.jsonl'), tools);
  assert.equal(
    r.calls.map((c) => [c.id, c.tool, c.source.line]),
    [
      ['lookup-1', 'lookup', 1],
      ['echo-1', 'echo', 2],
      ['lookup-bad', 'lookup', 4],
    ],
  );
  assert.equal(r.calls[2], {
    id: 'lookup-bad',
    tool: 'lookup',
    arguments: { id: 42 },
    reference: { error: { code: 'INVALID' } },
    expect_error: true,
    source: { dataset: 'd', line: 4 },
  });
  assert.is(r.calls[1].expect_error, undefined);
  assert.is(r.hash, sha256(readFileSync(fixture('datasets/valid.jsonl'))));
});

test('on_bad_row: skip sets bad rows aside with their messages and loads the rest', () => {
  const r = readDataset(spec('skip-some.jsonl', 'skip'), tools);
  assert.equal(
    r.calls.map((c) => [c.id, c.source.line]),
    [
      ['s-1', 1],
      ['s-4', 4],
    ],
  );
  assert.is(r.skipped_rows.length, 2);
  assert.match(r.skipped_rows[0], new RegExp(`^${shown('datasets/skip-some.jsonl').replace(/[.]/g, '\\.')}:2:1: not valid JSON: `));
  assert.is(r.skipped_rows[1], `${shown('datasets/skip-some.jsonl')}:3:20: tool: unknown tool "nope"; known tools: lookup, echo`);
});

test('on_bad_row: skip with every row bad is still an error', () => {
  assert.throws(
    () => readDataset(spec('unknown-tool.jsonl', 'skip'), tools),
    (err: unknown) => {
      return err instanceof UserError && err.problems[0].message === 'dataset d has no calls: all 1 rows were bad and skipped';
    },
  );
});

test('a suite with on_bad_row: skip carries the skipped rows', async () => {
  const suite = await loadSuite(fixture('suites/valid/skip-bad-rows.yaml'), { env: {} });
  assert.equal(
    suite.calls.map((c) => c.id),
    ['s-1', 's-4'],
  );
  assert.equal(suite.calls[0].source, { dataset: 'some-bad', line: 1 });
  assert.is(suite.skipped_rows.length, 2);
  assert.match(suite.skipped_rows[1], /skip-some\.jsonl:3:20: tool: unknown tool "nope"/);
});

test('ids are unique across the datasets of a suite', async () => {
  try {
    await loadSuite(fixture('suites/invalid/cross-dataset-duplicate.yaml'), { env: {} });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, UserError);
    const e = err as UserError;
    assert.is(e.message, `dataset second (${shown('datasets/echo-again.jsonl')}) is invalid (1 problem)`);
    assert.equal(e.problems, [
      { file: shown('datasets/echo-again.jsonl'), line: 1, column: 7, path: 'id', message: 'duplicate id "echo-1"; first used on line 1 of dataset first' },
    ]);
  }
});

test('problems of several datasets come in one error, dataset by dataset', async () => {
  const err = await loadSuite(fixture('suites/invalid/two-bad-datasets.yaml'), { env: {} }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(err, UserError);
  const e = err as UserError;
  assert.is(e.exitCode, 2);
  assert.is(e.message, `datasets ids (${shown('datasets/bad-ids.jsonl')}), tools (${shown('datasets/unknown-tool.jsonl')}) are invalid (3 problems)`);
  assert.equal(
    e.problems.map((p) => [p.file, p.line, p.path]),
    [
      [shown('datasets/bad-ids.jsonl'), 1, 'id'],
      [shown('datasets/bad-ids.jsonl'), 2, 'id'],
      [shown('datasets/unknown-tool.jsonl'), 1, 'tool'],
    ],
  );
  // This suite has only the echo tool, so that is all the message offers.
  assert.match(e.problems[2].message, /unknown tool "ecko" \(did you mean "echo"\?\); known tools: echo$/);
});

test.run();
