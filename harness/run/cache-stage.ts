/**
 * The response cache for one run: opens the one SQLite store (records/cache/), hands each model endpoint its
 * view of it, and counts what it answered for the manifest. Model targets (kind openai) use it as --cache says:
 * real tools must be called live (their drift is what a run measures against), and baselines cost less to
 * compute than to look up. Default mode `off`, as lm-evaluation-harness (whose --use_cache is opt-in) and unlike
 * promptfoo (cache on by default): a model name does not name its weights, and a default-on cache would answer a
 * retrained checkpoint served under the same name with the old checkpoint's responses. A checkpoint that
 * gtm-bench serves has its weights fingerprint in the key, so the cache is safe to turn on for it.
 * The judge always uses the cache (a rerun sends no judge request twice; --cache read-only: it only reads),
 * as it did when it kept its own files: a judge is a fixed reference model, not the checkpoint under test.
 */
import { join } from 'node:path';
import { HARNESS_ROOT } from '../records/manifest.js';
import type { ManifestCache } from '../records/manifest-serving.js';
import {
  emptyCacheCounts,
  openResponseStore,
  responseStorePath,
  type CacheCounts,
  type CacheMode,
  type ResponseCacheView,
  type ResponseStore,
} from '../records/cache/response-store.js';
import type { CallContext, Observation, Target } from '../targets/types.js';

export interface RunCache {
  readonly mode: CacheMode;
  /** What the cache did for the model targets (the judge counts its own). */
  readonly counts: CacheCounts;
  /** The view a model target answers from, or undefined with --cache off. */
  forTarget(fingerprint?: string): ResponseCacheView | undefined;
  /** The view the judge answers from (opened with `judge: true`). */
  forJudge(): ResponseCacheView | undefined;
  /** Marks the observations of a target that answered without the cache (real tools, baselines) `cache: off`. */
  markUncached(target: Target): Target;
  /** Looks a call up without calling anything (replay of a call the records lack). */
  readonly store?: ResponseStore;
  entry(): ManifestCache;
  close(): void;
}

export function cacheDir(env: Record<string, string | undefined>): string {
  return env.GTM_BENCH_CACHE_DIR || join(HARNESS_ROOT, '.gtm-cache');
}

/** @param opts.judge the run has a judge to serve: the store is opened even with --cache off. */
export function openRunCache(mode: CacheMode, env: Record<string, string | undefined>, opts: { judge?: boolean } = {}): RunCache {
  const path = responseStorePath(cacheDir(env));
  const store = mode !== 'off' || opts.judge ? openResponseStore(path, { readOnly: mode === 'read-only' }) : undefined;
  const writes = mode !== 'read-only';
  const counts = emptyCacheCounts();
  return {
    mode,
    counts,
    store,
    forTarget: (fingerprint) => (store && mode !== 'off' ? { store, writes, counts, ...(fingerprint ? { fingerprint } : {}) } : undefined),
    forJudge: () => (store ? { store, writes, counts: emptyCacheCounts() } : undefined),
    markUncached(target) {
      const call = async (ctx: CallContext): Promise<Observation> => {
        const obs = await target.call(ctx);
        obs.cache ??= 'off';
        return obs;
      };
      // Everything but call() is the target's own (optional members included, bound to it).
      return {
        name: target.name,
        kind: target.kind,
        backend: target.backend,
        ...(target.unavailable !== undefined ? { unavailable: target.unavailable } : {}),
        describe: () => target.describe(),
        call,
        ...(target.runtimeStats ? { runtimeStats: () => target.runtimeStats!() } : {}),
        ...(target.endSession ? { endSession: (key: string) => target.endSession!(key) } : {}),
        ...(target.close ? { close: () => target.close!() } : {}),
      };
    },
    entry: () => ({ mode, path: mode === 'off' ? null : path, ...counts }),
    close: () => store?.close(),
  };
}
