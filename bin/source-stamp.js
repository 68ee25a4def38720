// The fingerprint of what the compiled build (dist/) is made from: every TypeScript file under harness/, the suite
// schema (its validators are compiled into dist/), the build script and tsconfig.json, by content, and the installed
// packages as npm records them (node_modules/.package-lock.json): the build holds code made from them (ajv's
// standalone validators) and copied from them (the vega bundle), so another install makes it stale too. bin/build.js
// writes it into dist/BUILD-STAMP.json; the CLI shim recomputes it at every start and runs dist/ only when the two
// are equal, so a build older than the sources (a pull, a rebase, an edit since `npm ci`) is never executed: the
// sources run through tsx instead.
// Content, not modification times: a checkout or a copy can give an old file a new time and a new file an old one.
// Plain JavaScript, because it runs before any TypeScript loader exists.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The files the build compiles, relative to the root, sorted (the hash must not depend on readdir's order). */
export function sourceFiles(root) {
  return readdirSync(join(root, 'harness'), { recursive: true })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join('harness', f))
    .sort();
}

/** npm's record of what node_modules holds (npm ci and npm install rewrite it); absent without npm. */
export const INSTALLED_PACKAGES = 'node_modules/.package-lock.json';

export function sourceStamp(root, files = sourceFiles(root)) {
  const h = createHash('sha256');
  for (const f of [...files, 'harness/suite/suite.schema.json', 'bin/build.js', 'bin/source-stamp.js', 'tsconfig.json']) {
    h.update(f);
    h.update('\0');
    h.update(readFileSync(join(root, f)));
    h.update('\0');
  }
  h.update(INSTALLED_PACKAGES);
  h.update('\0');
  h.update(existsSync(join(root, INSTALLED_PACKAGES)) ? readFileSync(join(root, INSTALLED_PACKAGES)) : 'absent');
  return h.digest('hex');
}

export const STAMP_FILE = 'BUILD-STAMP.json';
