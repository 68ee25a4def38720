/**
 * The vLLM lifecycle against a stand-in `vllm` executable (test/support/vllm-stand-in-bin.mjs: the loopback
 * stand-in server behind vllm serve's command line; NOT vLLM, not a model): a normal start and stop, a slow
 * start, a start that times out, a failed start, a server that ignores SIGTERM, a crash in the middle of a
 * run (records kept, --resume completes it), and Ctrl-C of the CLI. Every case ends with no process left.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointInfo } from '../harness/serve/checkpoint-info.js';
import { processAlive } from '../harness/util/process-group.js';
import { ServeError, startServedModel } from '../harness/serve/served-model.js';
import type { ServeSpec } from '../harness/serve/serve-spec.js';
import { httpGet } from '../harness/net/http-get.js';
import { runSuite } from '../harness/run/run-suite.js';
import { createProgress } from '../harness/cli/progress.js';
import { readRecords } from '../harness/records/reader.js';
import { sha256 } from '../harness/util/hash.js';
import { summariseRun } from '../harness/report/summary-fold.js';
import { serverSummaries } from '../harness/report/server-summary.js';
import { readServerMetrics } from '../harness/serve/metrics/scraper.js';

const ROOT = new URL('..', import.meta.url).pathname;
const STAND_IN = join(ROOT, 'test/support/vllm-stand-in-bin.mjs');
const SUITE = join(ROOT, 'test/fixtures/serving/echo-serve-suite.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'gtm-serve-'));
const quiet = createProgress({ interactive: false, quiet: true });
const ckpt = join(tmp, 'checkpoint');
const CONFIG = '{"architectures":["Qwen2ForCausalLM"],"hidden_size":1536}\n';
const INDEX = '{"metadata":{"total_size":3087467520},"weight_map":{"lm_head.weight":"model-00001-of-00002.safetensors"}}\n';

mkdirSync(ckpt);
writeFileSync(join(ckpt, 'config.json'), CONFIG);
writeFileSync(join(ckpt, 'model.safetensors.index.json'), INDEX);

test.after(() => rmSync(tmp, { recursive: true, force: true }));

function spec(args: string[], over: Partial<ServeSpec> = {}): ServeSpec {
  return { checkpoint: ckpt, served_model_name: 'gtm-echo', host: '127.0.0.1', args, startup_timeout_s: 30, stop_timeout_s: 5, ...over };
}

let n = 0;
const pidfile = () => join(tmp, `pids-${n++}.json`);
const pidsIn = (file: string): { server: number; helper: number } => JSON.parse(readFileSync(file, 'utf8'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Live processes whose command line mentions `text` (the stand-in's unique pidfile path). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text) && processAlive(Number(p));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Both processes of the stand-in (server and its engine-core helper) are gone, given a moment to be reaped.
 * A server stopped before it wrote its pidfile is looked for by its command line.
 */
async function assertGone(file: string): Promise<void> {
  const { server, helper } = existsSync(file) ? pidsIn(file) : { server: -1, helper: -1 };
  const alive = () => processAlive(server) || processAlive(helper) || processesMentioning(file).length > 0;
  for (let i = 0; i < 100 && alive(); i++) await sleep(20);
  assert.not.ok(processAlive(server), `server ${server} still running`);
  assert.not.ok(processAlive(helper), `helper ${helper} still running`);
  assert.equal(processesMentioning(file), [], 'a stand-in process still running');
}

/** A `vllm` that is the stand-in with extra arguments: how a run is given a crashing or failing server. */
function wrapper(name: string, extra: string): string {
  const path = join(tmp, name);
  writeFileSync(path, `#!/bin/sh\nexec "${STAND_IN}" "$@" ${extra}\n`);
  chmodSync(path, 0o755);
  return path;
}

test('checkpoint info: hashes of config.json and the weights index, or of the safetensors list', () => {
  const info = checkpointInfo(ckpt);
  assert.is(info.config_sha256, sha256(CONFIG));
  assert.equal(info.weights_index, { kind: 'safetensors-index', file: 'model.safetensors.index.json', sha256: sha256(INDEX) });
  assert.match(info.fingerprint!, /^[0-9a-f]{64}$/);
  const single = join(tmp, 'single');
  mkdirSync(single);
  writeFileSync(join(single, 'config.json'), CONFIG);
  writeFileSync(join(single, 'model.safetensors'), Buffer.alloc(1234));
  const s = checkpointInfo(single);
  assert.equal(s.weights_index && s.weights_index.kind === 'safetensors-files' ? s.weights_index.files : null, [{ name: 'model.safetensors', bytes: 1234 }]);
  assert.is.not(s.fingerprint, info.fingerprint);
  assert.equal(checkpointInfo('Qwen/Qwen2.5-1.5B').local, false);
});

test('a slow start is waited for: ready on /health and /v1/models, described, stopped by SIGTERM with nothing left', async () => {
  const pids = pidfile();
  const served = await startServedModel(spec(['--stand-in-slow-start-ms', '600', '--stand-in-pidfile', pids]), { executable: STAND_IN, targets: ['gtm'] });
  const e = served.entry;
  assert.is(e.status, 'ran');
  assert.ok(e.ready_after_ms! >= 600, `ready after ${e.ready_after_ms} ms`);
  assert.match(e.vllm_version!, /stand-in \(not vLLM, not a model\)/);
  assert.is(e.checkpoint!.config_sha256, sha256(CONFIG));
  assert.is(e.model, 'gtm-echo');
  assert.equal(e.command!.slice(1, 3), ['serve', ckpt]);
  assert.ok(e.command!.includes('--served-model-name'));
  const models = JSON.parse((await httpGet(`${served.base_url}/models`, 2000)).body);
  assert.equal(
    models.data.map((m: { id: string }) => m.id),
    ['gtm-echo'],
  );
  const stopped = await served.stop();
  assert.is(stopped.how, 'SIGTERM');
  assert.is(stopped.code, 0);
  await assertGone(pids);
});

test('a start slower than the timeout is a clear error, and the process is stopped', async () => {
  const late = pidfile();
  try {
    await startServedModel(spec(['--stand-in-slow-start-ms', '20000', '--stand-in-pidfile', late], { startup_timeout_s: 0.8 }), {
      executable: STAND_IN,
      targets: [],
    });
    assert.unreachable('should time out');
  } catch (err) {
    assert.instance(err, ServeError);
    assert.is((err as ServeError).exitCode, 3);
    assert.match((err as Error).message, /did not become ready within 0\.8 s \(last check: ECONNREFUSED\)/);
  }
  await assertGone(late);
});

test("a failed start: the exit code and the server's own last words", async () => {
  try {
    await startServedModel(spec(['--stand-in-fail-start']), { executable: STAND_IN, targets: [] });
    assert.unreachable('should fail');
  } catch (err) {
    assert.instance(err, ServeError);
    assert.match((err as Error).message, /exited with code 1 before it was ready/);
    assert.match((err as Error).message, /ValueError: no model weights/);
  }
  try {
    await startServedModel(spec([]), { executable: join(tmp, 'no-such-vllm'), targets: [] });
    assert.unreachable('should fail');
  } catch (err) {
    assert.match((err as Error).message, /exited with code 127 before it was ready.*cannot start .*no-such-vllm: spawn .* ENOENT/s);
  }
});

test('a server that ignores SIGTERM gets SIGKILL after the grace period, helpers included', async () => {
  const pids = pidfile();
  const served = await startServedModel(spec(['--stand-in-ignore-sigterm', '--stand-in-pidfile', pids], { stop_timeout_s: 0.4 }), {
    executable: STAND_IN,
    targets: [],
  });
  const stopped = await served.stop();
  assert.is(stopped.how, 'SIGKILL');
  assert.is(stopped.signal, 'SIGKILL');
  assert.ok(stopped.after_ms >= 400);
  await assertGone(pids);
});

test('a run with a serve: section: served, scraped, stopped; the manifest says what was served', async () => {
  const pids = pidfile();
  const out = join(tmp, 'served-run');
  const env = { GTM_CHECKPOINT: ckpt, STAND_IN_PIDFILE: pids };
  const r = await runSuite({ suiteFile: SUITE, limit: 6, out, argv: [], progress: quiet, env, scrapeIntervalMs: 20 });
  assert.is(r.exitCode, 0);
  const m = r.manifest;
  assert.is(m.serve!.status, 'ran');
  assert.is(m.serve!.stopped!.how, 'SIGTERM');
  assert.is(m.serve!.checkpoint!.fingerprint, checkpointInfo(ckpt).fingerprint);
  assert.is(m.targets[0].config.model, 'gtm-echo');
  assert.match(String(m.targets[0].config.base_url), /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  assert.match(readFileSync(join(out, 'vllm.log'), 'utf8'), /Uvicorn running/);
  const gtm = r.summary.targets[0];
  assert.is(gtm.calls, 12);
  assert.is(gtm.metrics['semantic.reference'].mean, 1);
  // Server-side figures beside the client's: the stand-in counted the same 12 requests and tokens.
  const s = r.summary.server![0];
  assert.is(s.requests, 12);
  assert.is(s.prompt_tokens, gtm.tokens!.prompt);
  assert.is(s.generation_tokens, gtm.tokens!.completion);
  assert.is(s.ttft_s!.count, 12);
  assert.match(s.server!, /^vllm --version: .*stand-in/);
  assert.ok(existsSync(join(out, 'server-metrics.json')));
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /## Server-side figures[\s\S]*\| requests \/ calls \| 12 \| 12 \(0 failed\) \|/);
  // `gtm-bench report` recomputes the same summary.json from the folder, server block included.
  const again = summariseRun(
    { name: m.suite.name, hash: m.suite.sha256 },
    m.targets,
    readRecords(join(out, 'records.jsonl')).records,
    serverSummaries(readServerMetrics(out)),
  );
  assert.is(JSON.stringify(again, null, 2) + '\n', readFileSync(join(out, 'summary.json'), 'utf8'));
  await assertGone(pids);
});

test('the server crashes mid-run: exit 3, records kept, the server gone; --resume --retry-errors completes the plan', async () => {
  const pids = pidfile();
  const out = join(tmp, 'crash-run');
  const env = { GTM_CHECKPOINT: ckpt, STAND_IN_PIDFILE: pids, STAND_IN_LATENCY_MS: '10' };
  const crashing = wrapper('vllm-crashing', '--stand-in-crash-after 10');
  const r = await runSuite({ suiteFile: SUITE, out, argv: [], progress: quiet, env, vllm: crashing });
  assert.is(r.exitCode, 3);
  assert.match(r.serverFailure!, /exited with code 1 during the run.*crashing after 10 completions/s);
  assert.is(r.manifest.status, 'failed');
  assert.equal(r.manifest.serve!.exited_during_run, { code: 1, signal: null });
  const kept = readRecords(join(out, 'records.jsonl')).records;
  assert.ok(kept.length >= 10 && kept.length < 96, `${kept.length} records`);
  // The 11th completion killed the server: at most 10 answered (those still in their latency died with it).
  const answered = kept.filter((x) => !x.error).length;
  assert.ok(answered >= 1 && answered <= 10, `${answered} answered`);
  await assertGone(pids);

  const again = pidfile();
  const resumed = await runSuite({ suiteFile: SUITE, resume: out, retryErrors: true, argv: [], progress: quiet, env: { ...env, STAND_IN_PIDFILE: again } });
  assert.is(resumed.exitCode, 0);
  const records = readRecords(join(out, 'records.jsonl')).records;
  assert.is(records.length, 96);
  assert.is(new Set(records.map((x) => x.item_id)).size, 96);
  assert.not.ok(records.some((x) => x.error));
  assert.is(resumed.manifest.resumed![0].records_dropped, kept.length - answered);
  await assertGone(again);
});

test('a run whose server fails to start: exit 3, and the run folder says why', async () => {
  const out = join(tmp, 'failed-start-run');
  try {
    await runSuite({ suiteFile: SUITE, out, argv: [], progress: quiet, env: { GTM_CHECKPOINT: ckpt }, vllm: wrapper('vllm-failing', '--stand-in-fail-start') });
    assert.unreachable('should fail');
  } catch (err) {
    assert.instance(err, ServeError, String((err as Error)?.stack));
  }
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.is(m.status, 'failed');
  assert.is(m.exit_code, 3);
  assert.is(m.serve.status, 'failed');
  assert.match(m.serve.reason, /no model weights/);
  assert.ok(existsSync(join(out, 'summary.json')));
});

test('Ctrl-C twice at the CLI: the run leaves at once and still takes the server down with it', async () => {
  const pids = pidfile();
  const out = join(tmp, 'ctrl-c');
  const child = spawn(process.execPath, [join(ROOT, 'bin/gtm-bench.js'), 'run', SUITE, '--out', out, '--quiet'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', CI: 'true', GTM_CHECKPOINT: ckpt, STAND_IN_PIDFILE: pids, STAND_IN_LATENCY_MS: '200' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (/serving .* as gtm-echo at http/.test(stderr)) resolve();
    });
    void exited.then(({ code }) => reject(new Error(`exited ${code} before serving: ${stderr}`)));
  });
  child.kill('SIGINT');
  await sleep(50);
  child.kill('SIGINT');
  // The second Ctrl-C finds the run winding down (it leaves at once: exit 130) or, since calls in flight are
  // now cancelled at once, a run that already wound down after the first and a process in its exit, which the
  // signal then ends (Node has dropped its handlers by then): about half the time on a loaded 2-core machine.
  const { code, signal } = await exited;
  assert.ok(code === 130 || signal === 'SIGINT', `exit ${code}, signal ${signal}: ${stderr}`);
  await assertGone(pids);
});

test('Ctrl-C once (in-process): calls in flight finish, the server is stopped with SIGTERM, status interrupted', async () => {
  const pids = pidfile();
  const out = join(tmp, 'interrupted');
  const controller = new AbortController();
  let seen = 0;
  const progress = { ...quiet, tick: () => void (++seen === 8 && controller.abort()) };
  const r = await runSuite({
    suiteFile: SUITE,
    out,
    argv: [],
    progress,
    env: { GTM_CHECKPOINT: ckpt, STAND_IN_PIDFILE: pids, STAND_IN_LATENCY_MS: '20' },
    signal: controller.signal,
  });
  assert.is(r.exitCode, 130);
  assert.is(r.manifest.status, 'interrupted');
  assert.is(r.manifest.serve!.stopped!.how, 'SIGTERM');
  await assertGone(pids);
});

test.run();
