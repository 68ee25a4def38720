/**
 * Issue 17 item 8e through the real binary: an answer holding NUL and an escape sequence reaches report.html,
 * report.md and the CSV exports as visible `\u0000` / `\u001b`, never as the raw bytes (which cut a cell short
 * in C-based readers and are dropped or mangled by browsers); records.jsonl keeps the answer exactly.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { readRecords } from '../harness/records/reader.js';
import { showControls } from '../harness/util/visible-controls.js';
import { runCli } from './support/cli-child.js';

const tmp = mkdtempSync(join(tmpdir(), 'gtm-controls-'));
const ANSWER = '{"text":"nul\u0000here \u001b[2J\u0007 and \u0085"} tab\there';
let standIn: StandIn;

test.before(async () => {
  standIn = await startStandIn({ models: ['gtm-echo'], respond: () => ({ text: ANSWER }) });
});
test.after(async () => {
  await standIn.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('showControls: C0 (but tab, LF, CR), DEL and C1 become \\u escapes; other text is the same string', () => {
  assert.is(showControls('a\u0000b\u001b[2J\u007f\u0085\t\n\r'), 'a\\u0000b\\u001b[2J\\u007f\\u0085\t\n\r');
  const plain = 'plain text, é, 漢字';
  assert.is(showControls(plain), plain);
});

test('8e: NUL and ESC in an answer are shown escaped in report.html, report.md and every CSV; records keep them', async () => {
  const runDir = join(tmp, 'run');
  const r = await runCli(['run', 'test/fixtures/cli/echo-model.yaml', '--quiet', '--out', runDir], {
    env: { GTM_API_KEY: 'unused-key-123', GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-echo' },
  });
  assert.is(r.code, 0, r.stderr);
  const records = readRecords(join(runDir, 'records.jsonl')).records.filter((x) => x.target === 'gtm');
  assert.is(records[0].raw, ANSWER, 'the record holds the answer as received');
  const html = readFileSync(join(runDir, 'report.html'), 'utf8');
  assert.ok(html.includes('nul\\u0000here \\u001b[2J\\u0007'), 'report.html shows the answer with visible escapes');
  const files = [
    'report.html',
    'report.md',
    'summary.csv',
    ...readdirSync(join(runDir, 'report-data'))
      .filter((f) => f.endsWith('.csv'))
      .map((f) => `report-data/${f}`),
  ];
  const withAnswer = files.filter((f) => readFileSync(join(runDir, f), 'utf8').includes('nul\\u0000here'));
  assert.ok(
    withAnswer.some((f) => f.endsWith('.csv')),
    `a CSV export holds the answer (${withAnswer.join(', ')})`,
  );
  for (const f of files) {
    const bytes = readFileSync(join(runDir, f));
    for (const b of [0x00, 0x1b, 0x07]) assert.is(bytes.indexOf(b), -1, `${f} holds byte 0x${b.toString(16)}`);
    assert.not.ok(bytes.toString('utf8').includes('\u0085'), `${f} holds U+0085`);
  }
});

test.run();
