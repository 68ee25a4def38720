import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRecordWriter } from '../harness/records/writer.js';
import { readRecords } from '../harness/records/reader.js';
import type { RunRecord } from '../harness/records/types.js';
import { runRecord } from './support/run-record.js';
import { UserError } from '../harness/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'gtm-records-'));

function record(i: number): RunRecord {
  return runRecord({
    item_id: `id${i}`,
    call_id: `c${i}`,
    seed: 1,
    started_at: '2026-01-01T00:00:00.000Z',
    scores: { 'format.parse': { value: 1, reasons: [] } },
  });
}

test('each record is on disk as soon as write() returns (no in-process buffer)', () => {
  const path = join(dir, 'a.jsonl');
  const w = openRecordWriter(path);
  w.write(record(1));
  assert.is(readFileSync(path, 'utf8').split('\n').filter(Boolean).length, 1);
  w.write(record(2));
  assert.is(readFileSync(path, 'utf8').split('\n').filter(Boolean).length, 2);
  w.close();
  assert.is(w.count, 2);
  assert.throws(() => w.write(record(3)), /closed/);
});

test('a torn last line (crash mid-write) is dropped and reported; earlier records are kept', () => {
  const path = join(dir, 'b.jsonl');
  const w = openRecordWriter(path);
  w.write(record(1));
  w.write(record(2));
  w.close();
  appendFileSync(path, '{"v":1,"item_id":"id3","cal');
  const { records, torn_tail } = readRecords(path);
  assert.equal(
    records.map((r) => r.item_id),
    ['id1', 'id2'],
  );
  assert.match(torn_tail!, /b\.jsonl:3: incomplete last line/);
});

test('a corrupt line in the middle is an error naming file and line', () => {
  const path = join(dir, 'c.jsonl');
  const w = openRecordWriter(path);
  w.write(record(1));
  w.close();
  appendFileSync(path, 'garbage\n' + JSON.stringify(record(2)) + '\n');
  try {
    readRecords(path);
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, UserError);
    assert.match((err as Error).message, /c\.jsonl:2: not a JSON record/);
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
