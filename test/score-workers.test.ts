/**
 * --score-workers (harness/run/score-workers.ts): scoring in worker threads gives the same records, in the
 * same order, and a byte-identical summary (timing fields aside); answers are handed back in the order they
 * were submitted even when a later one is scored first; an interrupted run interrupts the workers' invariants.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgress } from '../harness/cli/progress.js';
import type { WorkItem } from '../harness/plan/types.js';
import { readRecords } from '../harness/records/reader.js';
import { runSuite } from '../harness/run/run-suite.js';
import { compactScores, createWorkerScorer, defaultScoreWorkers, expandScores } from '../harness/run/score-workers.js';
import { createScorer } from '../harness/run/score-item.js';
import { ScoringInterrupted } from '../harness/scoring/invariant-runner.js';
import { loadSuite } from '../harness/suite/load.js';
import type { Observation } from '../harness/targets/types.js';
import type { Suite } from '../harness/suite/types.js';
import { withoutTimings } from './support/summary-compare.js';

const ROOT = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'gtm-score-workers-'));
const quiet = createProgress({ interactive: false, quiet: true });
test.after(() => rmSync(tmp, { recursive: true, force: true }));

/** Records carry when their call started, besides the measured timings summary-compare.ts masks. */
const untimed = (v: unknown) => withoutTimings(Array.isArray(v) ? v.map(({ started_at: _s, ...r }) => r) : v);

const run = (scoreWorkers: number, out: string, targets: string[], concurrency: number) =>
  runSuite({
    suiteFile: join(ROOT, 'suites/default.yaml'),
    targets,
    concurrency,
    scoreWorkers,
    out,
    argv: [],
    progress: quiet,
    preflight: false,
  });
const records = (dir: string) => readRecords(join(dir, 'records.jsonl')).records;
const key = (r: { target: string; item_id: string }) => `${r.target} ${r.item_id}`;

test('0 and 1 workers: the same records and the same summary bytes (timing fields aside)', async () => {
  const a = await run(0, join(tmp, 'w0'), ['real', 'schema-faker'], 8);
  const b = await run(1, join(tmp, 'w1'), ['real', 'schema-faker'], 8);
  // At concurrency 8 records follow call completion, which no two runs share: compared by item here.
  const ra = records(a.runDir).sort((x, y) => key(x).localeCompare(key(y)));
  const rb = records(b.runDir).sort((x, y) => key(x).localeCompare(key(y)));
  assert.ok(ra.length >= 600, `only ${ra.length} records`);
  assert.equal(untimed(rb), untimed(ra));
  // schema-faker answers fail invariants in many ways: the comparison covers failures, not only passes
  const invariants = (r: (typeof ra)[number]) => (r.scores as Record<string, { value: number | null }>)['logic.invariants']?.value;
  assert.ok(ra.some((r) => (invariants(r) ?? 1) < 1));
  const sa = JSON.parse(readFileSync(join(a.runDir, 'summary.json'), 'utf8'));
  const sb = JSON.parse(readFileSync(join(b.runDir, 'summary.json'), 'utf8'));
  assert.is(JSON.stringify(withoutTimings(sb), null, 2), JSON.stringify(withoutTimings(sa), null, 2));
});

test('0 and 1 workers: records in plan order at concurrency 1, the same order both ways', async () => {
  const a = await run(0, join(tmp, 'o0'), ['schema-faker'], 1);
  const b = await run(2, join(tmp, 'o1'), ['schema-faker'], 1);
  assert.equal(records(b.runDir).map(key), records(a.runDir).map(key));
});

test('default: cores - 1, none on 2 cores or fewer', () => {
  assert.is(defaultScoreWorkers(1), 0);
  assert.is(defaultScoreWorkers(2), 0);
  assert.is(defaultScoreWorkers(16), 15);
});

/** A one-tool suite whose invariant is slow on answers that carry `slow: true` (JSONata, past the fast path's slice). */
async function slowSuite(): Promise<Suite> {
  const s = await loadSuite(join(ROOT, 'suites/default.yaml'));
  const tool = s.tools.find((t) => t.name === 'country_info')!;
  const slow = { name: 'slow', expr: 'output.slow != true or $count($filter([1..1000000], function($i) { $i > 0 })) > 0', timeout_ms: 120_000 };
  return { ...s, metrics: ['logic'], tools: [{ ...tool, response_schema: { type: 'object' }, invariants: [slow] }] };
}
const item = (id: string): WorkItem =>
  ({ id, call: { id, tool: 'country_info', arguments: { code: 'FR' }, source: { dataset: 'd', line: 1 } } }) as unknown as WorkItem;
const answer = (raw: unknown): Observation => ({ raw: JSON.stringify(raw), request: {}, latency_ms: 0, retries: 0 }) as Observation;

test('answers come back in submission order, whichever worker finishes first', async () => {
  const w = createWorkerScorer(await slowSuite(), 2);
  try {
    const order: string[] = [];
    const first = w.scoreItem(item('slow'), answer({ slow: true })).then(() => order.push('slow'));
    const second = w.scoreItem(item('fast'), answer({ slow: false })).then(() => order.push('fast'));
    await Promise.all([first, second]);
    assert.equal(order, ['slow', 'fast']);
  } finally {
    await w.close();
  }
});

test("an interrupted run interrupts the workers' invariants (recorded as aborted by the engine)", async () => {
  const ac = new AbortController();
  const w = createWorkerScorer(await slowSuite(), 1, { signal: ac.signal });
  try {
    const p = w.scoreItem(item('slow'), answer({ slow: true }));
    setTimeout(() => ac.abort(), 300);
    try {
      await p;
      assert.unreachable('should be interrupted');
    } catch (err) {
      assert.instance(err, ScoringInterrupted, String((err as Error)?.stack ?? err));
    }
  } finally {
    await w.close();
  }
});

test('compact replies: scores come back equal (null, NaN, -0, reasons, names across batches)', () => {
  const names = new Map<string, number>();
  const table: string[] = [];
  const index = (m: string) => {
    let i = names.get(m);
    if (i === undefined) names.set(m, (i = table.push(m) - 1));
    return i;
  };
  const a = [
    { metric: 'format.parse', value: 1, reasons: [] },
    { metric: 'logic.x', value: null, reasons: ['not applicable: no output'] },
    { metric: 'logic.y', value: -0, reasons: [] },
    { metric: 'odd', value: NaN, reasons: ['a', 'b'] },
  ];
  const b = [
    { metric: 'logic.y', value: 0.25, reasons: [] },
    { metric: 'new', value: 0, reasons: ['r'] },
  ];
  const ca = compactScores(a, index);
  const cb = compactScores(b, index);
  assert.equal(expandScores(ca, table), a);
  assert.ok(Object.is(expandScores(ca, table)[2].value, -0));
  assert.equal(expandScores(cb, table), b);
});

test('a worker answer without its value crossing: the parsed value is JSON.parse(raw), as in-thread', async () => {
  const suite = await loadSuite(join(process.cwd(), 'suites', 'default.yaml'), { env: {} });
  const call = suite.calls.find((c) => c.tool === 'country_info' && !c.expect_error)!;
  const raw = `  ${JSON.stringify(call.reference)}\n`;
  const w = createWorkerScorer(suite, 1);
  try {
    const it = { id: 'v', call } as unknown as WorkItem;
    const viaWorker = await w.scoreItem(it, answer(JSON.parse(raw)));
    const inThread = await createScorer(suite)(it, answer(JSON.parse(raw)));
    assert.is(viaWorker.parsed?.status, 'json');
    // The value did not cross: it is made from the raw text on first read.
    assert.type(Object.getOwnPropertyDescriptor(viaWorker.parsed, 'value')?.get, 'function');
    assert.equal(viaWorker.parsed?.value, inThread.parsed?.value);
    assert.equal(viaWorker.scores, inThread.scores);
  } finally {
    await w.close();
  }
});

test.run();
