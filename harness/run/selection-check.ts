/**
 * A run must call something. A target named with --target that cannot run here, or a suite none of whose
 * targets can, used to run nothing and exit 0, which a nightly job reads as success. Both are bad input
 * (exit 2), said with each target's reason before a run folder exists.
 */
import type { ManifestTarget } from '../records/manifest.js';
import { UserError } from '../util/errors.js';

function reasonLine(t: ManifestTarget): string {
  const fix = t.kind === 'openai' && /environment variable/.test(t.reason ?? '') ? ' (set them, or give --base-url and --model)' : '';
  return `  target ${t.name}: ${t.reason ?? 'not configured'}${fix}`;
}

export function checkSomethingRuns(entries: readonly ManifestTarget[], named: readonly string[] | undefined, suiteFile: string): void {
  const off = entries.filter((t) => t.status === 'not configured');
  const namedOff = named?.length ? off.filter((t) => named.includes(t.name)) : [];
  if (namedOff.length) {
    throw new UserError(
      [`--target ${namedOff.map((t) => t.name).join(', ')}: not configured here, so nothing of it would run:`, ...namedOff.map(reasonLine)].join('\n'),
    );
  }
  if (entries.length > 0 && off.length === entries.length) {
    throw new UserError([`nothing to run: no target of ${suiteFile} is configured here:`, ...off.map(reasonLine)].join('\n'));
  }
}
