/**
 * `gtm-bench --version`: the package version, and whether this process runs the compiled build (with the
 * fingerprint of the sources it was made from, bin/build.js) or the TypeScript sources through tsx, so a
 * person comparing timings or chasing a bug knows which code ran.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../util/package-root.js';

export function versionLine(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  const self = fileURLToPath(import.meta.url);
  let how = 'TypeScript sources through tsx';
  if (self.endsWith('.js')) {
    // This module is <tree>/cli/version.js; the stamp lies at the top of the same tree.
    const tree = dirname(dirname(self));
    let stamp = 'no stamp';
    try {
      stamp = `sources ${String(JSON.parse(readFileSync(join(tree, 'BUILD-STAMP.json'), 'utf8')).stamp).slice(0, 12)}`;
    } catch {
      // A tree without a stamp is still a compiled tree; say so rather than fail --version.
    }
    how = `compiled build, ${stamp}`;
  }
  return `${pkg.version} (${how}; node ${process.version})`;
}
