/**
 * Response-cache throughput: how fast a run goes when its answers come from the SQLite cache instead of a
 * server. The same N distinct calls of the default suite's country_info tool go through the openai target
 * wrapped with the cache (records/cache/) and the engine with format + logic scoring, writing records:
 *   off        --cache off against a loopback stand-in (not a model) answering at once: the reference
 *   fill       --cache read-write against the same stand-in: each call
 *              is a miss, sent to the server and inserted into the cache
 *   hit        --cache read-only, the server stopped: every call is answered from the cache
 *   hit, no scoring   the same without scoring, to show what the lookup itself costs
 *   lookups    the key computation as --replay makes it (prompt render, body, sha256) and SQLite read alone, no engine
 * Part of `npm run bench`; on its own: node --import tsx harness/bench/cache-hits.ts [calls=5000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandPlan } from '../plan/expand.js';
import { modelCacheKeyer } from '../records/cache/cache-key.js';
import { openRunCache, type RunCache } from '../run/cache-stage.js';
import { isOpenAITarget, type LoadedSuite, type MetricFamilyName } from '../suite/types.js';
import { createOpenAITarget } from '../targets/openai.js';
import { cycledCalls, timedHarnessPass } from './harness-pass.js';
import { spawnStandIn } from './stand-in-process.js';
import { fileURLToPath } from 'node:url';
import { HARNESS_ROOT } from '../records/manifest.js';
import { loadSuite } from '../suite/load.js';
import { callCountryTool } from '../tools/country-facts.js';

export interface CacheBenchRow {
  path: string;
  calls: number;
  per_s: number;
}

export async function cacheThroughput(suite: LoadedSuite, text: string, opts = { calls: 5000, concurrency: 64 }): Promise<CacheBenchRow[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'gtm-bench-cache-'));
  const env = { GTM_BENCH_CACHE_DIR: tmp };
  const spec = suite.targets.find(isOpenAITarget)!;
  const calls = cycledCalls(suite, opts.calls, 'cache-bench');
  const rows: CacheBenchRow[] = [];
  console.log(`\nresponse cache: ${opts.calls} distinct calls at concurrency ${opts.concurrency}, SQLite in ${tmp}`);
  const server = await spawnStandIn({ model: 'bench', text });
  try {
    const benchSpec = { ...spec, base_url: `${server.url}/v1`, model: 'bench', concurrency: opts.concurrency, retries: 0 };
    const target = await createOpenAITarget(benchSpec);
    const pass = async (label: string, cache: RunCache, metrics: MetricFamilyName[]) => {
      // The cache sits in the target's endpoint client, keyed on the bytes it sends: one target per cache.
      const cached = await createOpenAITarget(benchSpec, { cache: cache.forTarget() });
      const { perS } = await timedHarnessPass({
        suite,
        calls,
        metrics,
        target: cache.markUncached(cached),
        targetName: spec.name,
        identity: { bench: 'cache' },
        concurrency: opts.concurrency,
        recordsPath: join(tmp, `records-${rows.length}.jsonl`),
      });
      await cached.close?.();
      const c = cache.counts;
      rows.push({ path: label, calls: opts.calls, per_s: Math.round(perS) });
      console.log(`  ${label.padEnd(34)} ${String(Math.round(perS)).padStart(8)}/s   (hits ${c.hits}, misses ${c.misses}, stored ${c.stored})`);
      return c;
    };
    const off = openRunCache('off', env);
    await pass('off (server, no cache)', off, ['format', 'logic']);
    const fill = openRunCache('read-write', env);
    await pass('fill (misses, server + insert)', fill, ['format', 'logic']);
    fill.close();
    server.stop();
    for (const [label, metrics] of [
      ['hit (server stopped)', ['format', 'logic']],
      ['hit, no scoring', []],
    ] as const) {
      const hit = openRunCache('read-only', env);
      const c = await pass(label, hit, [...metrics]);
      hit.close();
      if (c.hits !== opts.calls) throw new Error(`cache bench: ${c.hits} hits of ${opts.calls}`);
    }
    // The lookup alone as --replay makes it: render the prompt, serialise the body, hash it, read the row.
    const store = openRunCache('read-only', env);
    const keyer = modelCacheKeyer(target.describe())!;
    const tool = suite.tools.find((t) => t.name === 'country_info')!;
    const s: LoadedSuite = { ...suite, calls, repeats: 1 };
    const items = expandPlan(s, [{ name: spec.name, identity: { bench: 'cache' } }]);
    const t0 = performance.now();
    let found = 0;
    for (let i = 0; i < items.length; i++) if (store.store!.get(keyer.key({ tool, call: items.call(i), repeat: 0, seed: items.seed(i) }).key)) found++;
    const perS = items.length / ((performance.now() - t0) / 1000);
    store.close();
    if (found !== items.length) throw new Error(`cache bench: ${found} lookups found of ${items.length}`);
    rows.push({ path: 'lookups (key + SQLite read)', calls: items.length, per_s: Math.round(perS) });
    console.log(`  ${'lookups (key + SQLite read)'.padEnd(34)} ${String(Math.round(perS)).padStart(8)}/s`);
    await target.close?.();
  } finally {
    server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = process.argv.find((a) => a.startsWith('calls='));
  // Run alone, this file is the entry point: the composition root (target kinds, suite sections) is not loaded yet.
  await import('../builtin.js');
  const suite = await loadSuite(join(HARNESS_ROOT, 'suites', 'default.yaml'), { env: { GTM_BASE_URL: 'http://127.0.0.1:9/v1', GTM_MODEL: 'bench' } });
  await cacheThroughput(suite, JSON.stringify(callCountryTool('country_info', { code: 'FR' })), { calls: arg ? Number(arg.slice(6)) : 5000, concurrency: 64 });
}
