/**
 * Records that refer to shared request texts (record version 2): a tool's part of the rendered prompt is stored
 * once in the run folder's texts.jsonl (records/text-store.ts) and each record keeps the per-call rest plus
 * `request_refs` (records/request-refs.ts). Checked: the request round-trips exactly (record -> line -> read),
 * a mark that does not fit the request or a secret at a join keeps the request inline, an old (version 1) run
 * folder still reports to the same summary, a dangling or damaged reference is named by file and line, and
 * replay of a new-format run sends the same requests.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../harness/builtin.js';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPromptTemplate } from '../harness/prompts/template.js';
import { DEFAULT_PROMPT_TEMPLATE } from '../harness/targets/openai.js';
import { recordLine } from '../harness/records/record-line.js';
import { resolveRequest } from '../harness/records/request-refs.js';
import { readTextStore, TEXTS_FILE, TextStoreWriter } from '../harness/records/text-store.js';
import { readRecords } from '../harness/records/reader.js';
import type { RunRecord } from '../harness/records/types.js';
import { markSharedTexts, sharedTextsOf, valueAt } from '../harness/util/shared-text.js';
import { clearSecrets, redactJsonText, registerSecrets } from '../harness/util/redact.js';
import type { ToolSpec } from '../harness/suite/types.js';
import { runSuite, type RunSuiteResult } from '../harness/run/run-suite.js';
import { runServingSuite, servingSuiteWithTargets } from './support/serving-suite.js';
import { createProgress } from '../harness/cli/progress.js';
import { reportCommand } from '../harness/cli/report.js';
import { readRunRecords } from '../harness/report/read-run-records.js';
import { readManifest } from '../harness/records/manifest.js';
import { UserError } from '../harness/util/errors.js';
import { inProcess } from './support/in-process-cli.js';
import { runRecord } from './support/run-record.js';
import { buildRecord } from '../harness/engine/build-record.js';
import { parseToolOutput } from '../harness/parse/json-from-text.js';
import { recordOutput } from '../harness/records/record-output.js';
import type { WorkItem } from '../harness/plan/types.js';

const ROOT = new URL('..', import.meta.url).pathname;
const V1 = join(ROOT, 'test/fixtures/records-v1');
const tmp = mkdtempSync(join(tmpdir(), 'gtm-record-texts-'));
const quiet = createProgress({ interactive: false, quiet: true });
let run: RunSuiteResult;

test.before(async () => {
  run = await runServingSuite(join(tmp, 'run'), quiet);
});
test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.after.each(() => clearSecrets());

/** The echo suite with one target: a replay of `runDir`'s gtm target. */
function replaySuite(name: string, runDir: string): string {
  return servingSuiteWithTargets(join(tmp, name), `  - name: old\n    kind: replay\n    run: ${runDir}\n    target: gtm\n`);
}

const awkward = 'quote " backslash \\ NUL \u0000 line\nbreak \u2028 emoji 😀 lone \ud800 </script>';
const tool: ToolSpec = {
  name: 'lookup',
  description: `Looks things up. ${awkward}`,
  invariants: [],
  semantic: {},
  parameters: { type: 'object', properties: { q: { type: 'string', description: awkward }, n: { type: 'integer' } } },
  response_schema: { type: 'object', properties: { hits: { type: 'array', items: { type: 'string' } } } },
};
const template = loadPromptTemplate(DEFAULT_PROMPT_TEMPLATE);

function modelRequest(args: Record<string, unknown>) {
  const rendered = template.render(tool, args);
  return markSharedTexts({ api: 'chat', model: 'm', ...rendered, sampling: { seed: 1 } }, sharedTextsOf(rendered));
}

/** The line of a record of `request` written with a store in `dir`, parsed back. */
function roundTrip(dir: string, request: unknown, store = new TextStoreWriter(join(dir, TEXTS_FILE))) {
  const line = recordLine(runRecord({ request, raw: awkward }), store);
  store.close();
  const back = JSON.parse(line) as RunRecord;
  return { line, back, resolved: resolveRequest(back, readTextStore(dir), 'test') };
}

test('a model request round-trips exactly: record -> line -> read, its shared texts stored once', () => {
  const dir = mkdtempSync(join(tmp, 'rt-'));
  const store = new TextStoreWriter(join(dir, TEXTS_FILE));
  const plain: number[] = [];
  const lines: string[] = [];
  for (const args of [{ q: 'x', n: 1 }, { q: awkward, n: 2 }, {}]) {
    const request = modelRequest(args);
    const line = recordLine(runRecord({ request, raw: '{}' }), store);
    lines.push(line);
    plain.push(JSON.stringify(runRecord({ request, raw: '{}' })).length);
    const back = JSON.parse(line) as RunRecord;
    assert.ok(back.request_refs && back.request_refs.length >= 2, 'the system message and the tool part are referred to');
    assert.not.ok(line.includes('Looks things up'), 'the tool description is not in the line');
    assert.ok(line.includes(JSON.stringify(JSON.stringify(args)).slice(1, -1)), 'the arguments stay inline');
    assert.equal(JSON.stringify(resolveRequest(back, readTextStore(dir), 'test')), JSON.stringify(request), 'the request as sent');
  }
  store.close();
  // Three calls of one tool: its texts once.
  const stored = readFileSync(join(dir, TEXTS_FILE), 'utf8').trim().split('\n');
  assert.is(stored.length, 2);
  assert.ok(
    lines.every((l, i) => l.length < plain[i] / 2),
    `lines ${lines.map((l) => l.length)} vs whole ${plain}`,
  );
  // A reopened store (a resumed run) appends nothing it already has.
  const again = roundTrip(dir, modelRequest({ q: 'y' }));
  assert.ok(again.back.request_refs);
  assert.is(readFileSync(join(dir, TEXTS_FILE), 'utf8').trim().split('\n').length, 2);
});

test("the templates mark each shared text where it is, the same in render() and renderWithJson(); a session's history sits between", () => {
  const session = loadPromptTemplate(join(ROOT, 'harness/prompts/gtm-tool-sim-session-v1.yaml'));
  const history = { turns: [{ tool: 'lookup', arguments: { q: awkward }, response: '{"hits":[]}' }] };
  for (const t of [template, session]) {
    for (const args of [{}, { q: awkward, n: 3 }]) {
      const a = t.render(tool, args, history);
      const b = t.renderWithJson(tool, args, history);
      assert.equal(JSON.stringify(b.rendered), JSON.stringify(a));
      const marks = sharedTextsOf(a)!;
      assert.equal(sharedTextsOf(b.rendered), marks);
      assert.ok(marks.length >= 2);
      for (const m of marks) assert.ok((valueAt(a, m.path) as string).startsWith(m.text, m.at), `${t.id} ${m.path}@${m.at}`);
    }
  }
  // In the session template the tool's part follows the history: its offset moves with the history's length.
  const atOf = (h: typeof history) => sharedTextsOf(session.render(tool, {}, h))!.find((m) => m.at > 0)?.at;
  assert.ok(atOf(history)! > atOf({ turns: [] })!);
});

test('a completions prompt, a torn texts.jsonl tail: cut on reopen, the text written again whole', () => {
  const dir = mkdtempSync(join(tmp, 'torn-'));
  const prompt = `${'p'.repeat(300)}|ARGS|${'q'.repeat(300)}`;
  const request = markSharedTexts({ api: 'completions', prompt }, [
    { path: '/prompt', at: 0, text: 'p'.repeat(300) },
    { path: '/prompt', at: 306, text: 'q'.repeat(300) },
  ]);
  writeFileSync(join(dir, TEXTS_FILE), '{"sha256":"ab","chars":2,"te');
  const { back, resolved } = roundTrip(dir, request);
  assert.is((back.request as { prompt: string }).prompt, '|ARGS|');
  assert.is((resolved as { prompt: string }).prompt, prompt);
  const lines = readFileSync(join(dir, TEXTS_FILE), 'utf8').split('\n');
  assert.is(lines.length, 3, 'two texts and the final newline; the torn line is gone');
});

test('a mark that does not fit its request, or a secret at a join or inside a text, keeps the request whole', () => {
  const base = modelRequest({ q: 'x' }) as { messages: { role: string; content: string }[] };
  // The content was changed after the mark was made: the mark no longer describes the request.
  const stale = markSharedTexts({ ...base, messages: [base.messages[0], { role: 'user', content: 'other' }] }, sharedTextsOf(base)!);
  const s = roundTrip(mkdtempSync(join(tmp, 'inline-')), stale);
  assert.is(s.back.request_refs, undefined);
  assert.equal(s.back.request, JSON.parse(JSON.stringify(stale)));

  // A secret split across the join between the stored text and the arguments would escape the line's redaction.
  // Split 6 | 6, neither side holds the 8 characters the redactor needs to see an echo.
  const secret = 'Zq9xK2mW7pLr';
  registerSecrets([secret]);
  const shared = 'S'.repeat(290) + secret.slice(0, 6);
  const joined = markSharedTexts({ prompt: shared + secret.slice(6) + ' tail' }, [{ path: '/prompt', at: 0, text: shared }]);
  const j = roundTrip(mkdtempSync(join(tmp, 'join-')), joined);
  assert.is(j.back.request_refs, undefined);
  assert.not.ok(redactJsonText(j.line).includes(secret), "inline, the sink's redaction of the line removes it");
  const inText = 'T'.repeat(300) + secret;
  const dir = mkdtempSync(join(tmp, 'intext-'));
  const t = roundTrip(dir, markSharedTexts({ prompt: inText + ' args' }, [{ path: '/prompt', at: 0, text: inText }]));
  assert.is(t.back.request_refs, undefined);
  assert.not.ok(redactJsonText(t.line).includes(secret), 'redacted inline, as before');
  assert.not.ok(existsSync(join(dir, TEXTS_FILE)), 'nothing was stored');
});

test('output is left out only when it is JSON.parse(raw); recordOutput() gives it back either way', () => {
  const item = {
    id: 'i',
    call: { id: 'c', tool: 't', arguments: {}, source: { dataset: 'd', line: 1 } },
    target: 'x',
    repeat: 0,
    seed: 1,
  } as unknown as WorkItem;
  const obs = (raw: string) => ({ raw, request: {}, latency_ms: 1, retries: 0, error: null });
  const cases: [string, boolean, { rawChars?: number }?][] = [
    [' {"a": [1, "x"], "b": null}\n', false],
    ['```json\n{"a": 1}\n```', true],
    ["{'a': 1,}", true],
    ['{"long": "' + 'y'.repeat(100) + '"}', true, { rawChars: 20 }],
  ];
  for (const [raw, stored, limits] of cases) {
    const parsed = parseToolOutput(raw);
    const r = JSON.parse(JSON.stringify(buildRecord(item, 'b', '', obs(raw), parsed, [], limits))) as RunRecord;
    assert.is('output' in r, stored, raw);
    assert.equal(recordOutput(r), parsed.value, raw);
  }
  const old = runRecord({ v: 1, raw: '{"a":1}', output: { a: 1 } });
  assert.equal(recordOutput(old), { a: 1 });
});

test("a run writes version 2 records; `report` rewrites the run's own summary.json byte for byte", async () => {
  const records = readRecords(join(run.runDir, 'records.jsonl')).records;
  const gtm = records.filter((r) => r.target === 'gtm');
  assert.is(gtm.length, 96);
  assert.ok(records.every((r) => r.v === 2));
  assert.ok(gtm.every((r) => r.request_refs?.length));
  assert.ok(gtm.every((r) => r.parse.status !== 'json' || (!('output' in r) && recordOutput(r) !== undefined)));
  const texts = readTextStore(run.runDir);
  assert.is(texts.size, 2, 'one tool: its system message and its part of the user message');
  for (const r of gtm) {
    const req = resolveRequest(r, texts, 'x') as { messages: { content: string }[] };
    assert.ok(req.messages[1].content.includes('Returns its text argument unchanged.'));
  }
  const dir = join(tmp, 'report-copy');
  cpSync(run.runDir, dir, { recursive: true });
  const before = readFileSync(join(dir, 'summary.json'), 'utf8');
  const out = await inProcess(() => reportCommand(dir));
  assert.is(out.code, 0, out.stderr);
  assert.is(out.stderr, '');
  assert.is(readFileSync(join(dir, 'summary.json'), 'utf8'), before);
});

test("report's worst cases show the request as sent: only their texts are read back", () => {
  const dir = join(tmp, 'worst');
  cpSync(run.runDir, dir, { recursive: true });
  // One gtm call made to score 0, so it is a worst case.
  const lines = readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes('"target":"gtm"'));
  const bad = JSON.parse(lines[at]) as RunRecord;
  bad.scores = { 'format.parse': { value: 0, reasons: ['made to fail'] } };
  lines[at] = JSON.stringify(bad);
  writeFileSync(join(dir, 'records.jsonl'), lines.join('\n'));
  const { digest, missing_texts } = readRunRecords(dir, readManifest(dir));
  assert.is(missing_texts, undefined);
  const worst = digest.worst.keptRecords().find((r) => r.item_id === bad.item_id)!;
  assert.is(worst.request_refs, undefined);
  assert.equal(JSON.stringify(worst.request), JSON.stringify(resolveRequest(bad, readTextStore(dir), 'x')));
  assert.ok((worst.request as { messages: { content: string }[] }).messages[0].content.includes('tool simulator'));
});

test('an old-format (version 1) run folder still reports: the same summary.json as the version that wrote it', async () => {
  const dir = join(tmp, 'v1');
  cpSync(V1, dir, { recursive: true });
  const out = await inProcess(() => reportCommand(dir));
  assert.is(out.code, 0, out.stderr);
  assert.is(readFileSync(join(dir, 'summary.json'), 'utf8'), readFileSync(join(V1, 'summary.json'), 'utf8'));
  const r = readRecords(join(dir, 'records.jsonl')).records.find((x) => x.target === 'gtm')!;
  assert.is(r.v, 1);
  assert.is(resolveRequest(r, undefined, 'x'), r.request, 'a whole request is given as it is');
  // A replay of it answers from its records (the 12 gtm calls --limit 6 made), their requests as recorded.
  const replayed = await runSuite({ suiteFile: replaySuite('replay-v1', dir), out: join(tmp, 'replayed-v1'), argv: [], progress: quiet, env: {} });
  assert.equal(replayed.manifest.targets.find((t) => t.name === 'old')!.runtime, { from_records: 12, from_cache: 0, missing: 84 });
  const sent = readRecords(join(replayed.runDir, 'records.jsonl')).records.find((x) => x.call_id === r.call_id && x.repeat === r.repeat)!;
  assert.equal(sent.request, r.request);
});

test('a dangling reference: report warns, naming the record line and texts.jsonl; replay refuses before any call', async () => {
  const dir = join(tmp, 'dangling');
  cpSync(run.runDir, dir, { recursive: true });
  const lines = readFileSync(join(dir, TEXTS_FILE), 'utf8').trim().split('\n');
  writeFileSync(join(dir, TEXTS_FILE), lines[0] + '\n');
  const firstGtm =
    readFileSync(join(dir, 'records.jsonl'), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('"target":"gtm"')) + 1;
  const out = await inProcess(() => reportCommand(dir));
  assert.is(out.code, 0, out.stderr);
  assert.match(
    out.stderr,
    `96 records refer to request texts that ${join(dir, TEXTS_FILE)} lacks (first: ${join(dir, 'records.jsonl')}:${firstGtm} refers to text`,
  );

  const suite = replaySuite('replay-dangling', dir);
  const refused = await runSuite({ suiteFile: suite, out: join(tmp, 'replay-dangling'), argv: [], progress: quiet, env: {} }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(refused instanceof UserError, String(refused));
  assert.match(refused.message, `${join(dir, 'records.jsonl')}:${firstGtm}: request_refs[`);
  assert.match(refused.message, `is not in ${join(dir, TEXTS_FILE)}`);
});

test('a damaged stored text is refused, naming texts.jsonl and its line', async () => {
  const dir = join(tmp, 'damaged');
  cpSync(run.runDir, dir, { recursive: true });
  const text = readFileSync(join(dir, TEXTS_FILE), 'utf8');
  writeFileSync(join(dir, TEXTS_FILE), text.replace('tool simulator', 'tool imitator'));
  const out = await inProcess(() => reportCommand(dir));
  assert.is(out.code, 2);
  assert.match(out.stderr, `${join(dir, TEXTS_FILE)}:1: the stored text does not match its sha256`);
});

test('replay of a new-format run sends the requests the run sent, and stores their texts once again', async () => {
  const suite = replaySuite('replay', run.runDir);
  const r = await runSuite({ suiteFile: suite, out: join(tmp, 'replayed'), argv: [], progress: quiet, env: {} });
  assert.is(r.exitCode, 0);
  const then = readTextStore(run.runDir);
  const now = readTextStore(r.runDir);
  assert.is(now.size, 2);
  const sent = new Map(
    readRecords(join(run.runDir, 'records.jsonl'))
      .records.filter((x) => x.target === 'gtm')
      .map((x) => [`${x.call_id}#${x.repeat}`, JSON.stringify(resolveRequest(x, then, 'then'))]),
  );
  const replayed = readRecords(join(r.runDir, 'records.jsonl')).records;
  assert.is(replayed.length, 96);
  for (const x of replayed) {
    assert.ok(x.request_refs?.length, 'the replayed record refers to its texts too');
    assert.is(JSON.stringify(resolveRequest(x, now, 'now')), sent.get(`${x.call_id}#${x.repeat}`));
  }
});

test.run();
