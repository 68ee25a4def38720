/** Comparing two runs' manifests: do they plan the same work? */
import { targetIdentity } from '../plan/target-identity.js';
import { canonicalJson } from '../util/hash.js';
import type { Manifest } from '../records/manifest.js';

/**
 * What differs between two runs' plans, from their manifests: suite and dataset bytes, seed, repeats,
 * --limit, --shard, each target's identity (plan/target-identity.ts) and a served checkpoint's weights.
 * Empty when the two plan the same work. --resume, --replay and merge all ask this before trusting ids.
 */
export function planDifferences(old: Manifest, now: Manifest): string[] {
  const out: string[] = [];
  if (old.suite.sha256 !== now.suite.sha256)
    out.push(`the suite file changed (sha256 ${old.suite.sha256.slice(0, 12)}… then, ${now.suite.sha256.slice(0, 12)}… now)`);
  for (const [name, d] of Object.entries(now.datasets)) {
    const before = old.datasets[name];
    if (!before) out.push(`dataset ${name} was not in the run`);
    else if (before.sha256 !== d.sha256) out.push(`dataset ${name} changed (sha256 ${before.sha256.slice(0, 12)}… then, ${d.sha256.slice(0, 12)}… now)`);
  }
  for (const name of Object.keys(old.datasets)) if (!now.datasets[name]) out.push(`dataset ${name} is gone`);
  if (old.seed !== now.seed) out.push(`seed ${old.seed} then, ${now.seed} now`);
  if (old.repeats !== now.repeats) out.push(`repeats ${old.repeats} then, ${now.repeats} now`);
  if (old.plan.limit !== now.plan.limit) out.push(`--limit ${old.plan.limit ?? 'none'} then, ${now.plan.limit ?? 'none'} now`);
  else if (old.plan.limit !== null && (old.plan.limit_mode ?? 'first') !== (now.plan.limit_mode ?? 'first')) {
    out.push(`--limit-mode ${old.plan.limit_mode ?? 'first'} then, ${now.plan.limit_mode ?? 'first'} now`);
  } else if (old.plan.limit !== null && (old.plan.limit_mode ?? 'first') !== (now.plan.limit_mode ?? 'first')) {
    out.push(`--limit-mode ${old.plan.limit_mode ?? 'first'} then, ${now.plan.limit_mode ?? 'first'} now`);
  }
  const weights = (m: Manifest) => m.serve?.checkpoint?.fingerprint ?? null;
  if (weights(old) && weights(now) && weights(old) !== weights(now)) {
    out.push(`the served checkpoint ${now.serve?.checkpoint?.path} is not the one the run served (its config.json or weights index changed)`);
  }
  const shard = (m: Manifest) => (m.plan.shard ? `${m.plan.shard.index}/${m.plan.shard.count}` : 'none');
  if (shard(old) !== shard(now)) out.push(`--shard ${shard(old)} then, ${shard(now)} now`);
  const ran = (m: Manifest) => new Map(m.targets.filter((t) => t.status === 'ran').map((t) => [t.name, canonicalJson(targetIdentity(t.config))]));
  const a = ran(old),
    b = ran(now);
  for (const [name, id] of b) {
    if (!a.has(name)) out.push(`target ${name} runs now but did not run then`);
    else if (a.get(name) !== id) out.push(`target ${name} is configured differently (model, sampling, prompt template or options)`);
  }
  for (const name of a.keys()) {
    if (b.has(name)) continue;
    // A target the run had but that cannot run here now: say why (usually its environment variables are unset).
    const now_ = now.targets.find((t) => t.name === name);
    out.push(
      now_?.status === 'not configured'
        ? `target ${name} ran then but is not configured now: ${now_.reason ?? 'no reason given'}`
        : `target ${name} ran then but is not selected now`,
    );
  }
  return out;
}
