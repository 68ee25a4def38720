/**
 * Issue 17 item 8d through the real binary: after --resume, the server-side /metrics figures cover every
 * invocation of the run, not only the last. The loopback stand-in serves vLLM's metric names (it is NOT
 * vLLM; only the plumbing is tested): a run of 48 model calls, 30 records dropped (as a run killed there
 * would have lost them), --resume makes those 30 calls again: the figures count 78 requests, say they are
 * summed over 2 invocations, and a later `report` keeps them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandIn, type StandIn } from '../dev/stand-ins/vllm-stand-in.js';
import { echoResponse } from './support/echo-responder.js';
import { runCli } from './support/cli-child.js';

const tmp = mkdtempSync(join(tmpdir(), 'gtm-resume-metrics-'));
let standIn: StandIn;

test.before(async () => {
  standIn = await startStandIn({ models: ['gtm-echo'], respond: echoResponse, metrics: true });
});
test.after(async () => {
  await standIn.close();
  rmSync(tmp, { recursive: true, force: true });
});

const serverFigures = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')).server[0];

test('8d: server figures after --resume are summed over both invocations', async () => {
  const runDir = join(tmp, 'run');
  const env = { GTM_BASE_URL: `${standIn.url}/v1`, GTM_MODEL: 'gtm-echo' };
  const args = ['run', 'test/fixtures/cli/echo-model.yaml', '--quiet', '--out', runDir];
  const first = await runCli(args, { env });
  assert.is(first.code, 0, first.stderr);
  assert.is(serverFigures(runDir).requests, 48);

  const lines = readFileSync(join(runDir, 'records.jsonl'), 'utf8').trimEnd().split('\n');
  const model = lines.map((l, i) => [l, i] as const).filter(([l]) => l.includes('"target":"gtm"'));
  const drop = new Set(model.slice(-30).map(([, i]) => i));
  writeFileSync(join(runDir, 'records.jsonl'), lines.filter((_, i) => !drop.has(i)).join('\n') + '\n');
  const resumed = await runCli([...args.slice(0, 2), '--quiet', '--resume', runDir], { env });
  assert.is(resumed.code, 0, resumed.stderr);

  const s = serverFigures(runDir);
  assert.is(s.requests, 78, "the first invocation's 48 and the resumed one's 30");
  assert.is(s.ttft_s.count, 78);
  assert.match(s.notes.join(' '), /summed over 2 invocations of this run/);
  const file = JSON.parse(readFileSync(join(runDir, 'server-metrics.json'), 'utf8'));
  assert.equal(
    file.invocations.map((i: { servers: { figures: { requests: number } }[] }) => i.servers[0].figures.requests),
    [48, 30],
  );
  assert.match(readFileSync(join(runDir, 'report.md'), 'utf8'), /Note: summed over 2 invocations of this run/);

  // `report` recomputes the summary from the folder: the same figures.
  const report = await runCli(['report', runDir], { env });
  assert.is(report.code, 0, report.stderr);
  assert.is(serverFigures(runDir).requests, 78);
});

test.run();
