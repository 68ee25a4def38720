/**
 * The serving commands as a user meets them: `gtm-bench serve` (start, print where, stop on SIGTERM),
 * `gtm-bench merge` (exit 1 and the missing shard named), bad --shard / --cache flags (exit 2), and the
 * suite's serve: section checked with positions.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../harness/builtin.js';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpGet } from '../harness/net/http-get.js';
import { processAlive } from '../harness/util/process-group.js';
import { runSuite } from '../harness/run/run-suite.js';
import { createProgress } from '../harness/cli/progress.js';
import { loadSuite } from '../harness/suite/load.js';
import { UserError } from '../harness/util/errors.js';
import { parseCacheMode } from '../harness/records/cache/response-store.js';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/gtm-bench.js');
const STAND_IN = join(ROOT, 'test/support/vllm-stand-in-bin.mjs');
const SUITE = join(ROOT, 'test/fixtures/serving/echo-suite.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'gtm-serving-cli-'));
const baseEnv = { PATH: process.env.PATH ?? '', CI: 'true' };

test.after(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...baseEnv, ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('gtm-bench serve: ready, says where and what, stops on SIGTERM with exit 0 and nothing left', async () => {
  const ckpt = join(tmp, 'ckpt');
  mkdirSync(ckpt);
  writeFileSync(join(ckpt, 'config.json'), '{}');
  const pids = join(tmp, 'serve-pids.json');
  const info = join(tmp, 'serve-info.json');
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      ckpt,
      '--port',
      '0',
      '--served-model-name',
      'gtm',
      '--vllm',
      STAND_IN,
      '--info',
      info,
      '--stop-timeout',
      '5',
      '--',
      '--stand-in-pidfile',
      pids,
    ],
    {
      cwd: ROOT,
      env: baseEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /GTM_BASE_URL=(\S+)/.exec(out);
      if (m && /GTM_MODEL=gtm/.test(out)) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  assert.match(out, /vllm --version 0\.0\.0\+gtm-bench-stand-in/);
  const models = JSON.parse((await httpGet(`${baseUrl}/models`, 2000)).body);
  assert.is(models.data[0].id, 'gtm');
  const described = JSON.parse(readFileSync(info, 'utf8'));
  assert.is(described.checkpoint.path, ckpt);
  assert.match(described.checkpoint.config_sha256, /^[0-9a-f]{64}$/);
  child.kill('SIGTERM');
  assert.is(await exited, 0, err);
  assert.match(err, /server stopped \(SIGTERM/);
  const { server, helper } = JSON.parse(readFileSync(pids, 'utf8'));
  for (let i = 0; i < 50 && (processAlive(server) || processAlive(helper)); i++) await new Promise((r) => setTimeout(r, 20));
  assert.not.ok(processAlive(server) || processAlive(helper));
});

test('gtm-bench merge names a missing shard and exits 1; a bad --shard exits 2', async () => {
  const env = { GTM_BASE_URL: 'http://127.0.0.1:9/v1', GTM_MODEL: 'm' };
  const quiet = createProgress({ interactive: false, quiet: true });
  for (const index of [0, 2]) {
    await runSuite({
      suiteFile: SUITE,
      targets: ['reference'],
      limit: 9,
      limitMode: 'first',
      shard: { index, count: 3 },
      out: join(tmp, `shard-${index}`),
      argv: [],
      progress: quiet,
      env,
    });
  }
  const merged = cli(['merge', join(tmp, 'shard-0'), join(tmp, 'shard-2'), '--out', join(tmp, 'merged')]);
  assert.is(merged.code, 1, merged.stderr);
  assert.match(merged.stdout, /merged 2 shards \(0\/3, 2\/3\): 12 records of 18 planned/);
  assert.match(merged.stdout, /missing shards: 1\/3/);
  assert.match(merged.stdout, /missing items: 6 \(echo-02\/reference\/repeat 0, /);
  assert.ok(existsSync(join(tmp, 'merged', 'summary.json')));
  const bad = cli(['run', SUITE, '--shard', '3/3']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--shard 3\/3: expected I\/N with 0 <= I < N/);
  // --cache goes through the same option parser wrapper as --shard.
  assert.throws(() => parseCacheMode('sometimes'), /--cache sometimes: expected one of read-write, read-only, off/);
});

test('a serve: section naming a target that is not an openai target is a problem at its position', async () => {
  const file = join(tmp, 'bad-serve.yaml');
  writeFileSync(
    file,
    readFileSync(SUITE, 'utf8')
      .replace(/\.\.\/\.\.\/\.\.\/harness/g, join(ROOT, 'harness'))
      .replace('echo-calls.jsonl', join(ROOT, 'test/fixtures/serving/echo-calls.jsonl')) + 'serve:\n  checkpoint: ./ckpt\n  targets: [gtm, reference, nope]\n',
  );
  const problems = async (path: string): Promise<string> => {
    try {
      await loadSuite(path, { env: {} });
    } catch (err) {
      assert.instance(err, UserError);
      return (err as UserError).render();
    }
    throw new Error(`${path} should be invalid`);
  };
  const text = await problems(file);
  assert.match(text, /bad-serve\.yaml:\d+:\d+: \/serve\/targets\/1: target reference is baseline:reference; a served checkpoint can only fill openai targets/);
  assert.match(text, /bad-serve\.yaml:\d+:\d+: \/serve\/targets\/2: expected the name of a target of this suite, found "nope"/);
  writeFileSync(file, readFileSync(file, 'utf8').replace('targets: [gtm, reference, nope]', 'port: 70000'));
  assert.match(await problems(file), /bad-serve\.yaml:\d+:\d+: \/serve\/port: expected .*65535/);
});

test.run();
