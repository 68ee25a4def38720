// The fingerprint of what the compiled build (dist/) is made from: every TypeScript file under harness/, the suite
// schema (its validators are compiled into dist/), the build script and tsconfig.json, by content. bin/build.js
// writes it into dist/BUILD-STAMP.json; the CLI shim recomputes it at every start and runs dist/ only when the two
// are equal, so a build older than the sources (a pull, a rebase, an edit since `npm ci`) is never executed: the
// sources run through tsx instead.
// Content, not modification times: a checkout or a copy can give an old file a new time and a new file an old one.
// Plain JavaScript, because it runs before any TypeScript loader exists.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The files the build compiles, relative to the root, sorted (the hash must not depend on readdir's order). */
export function sourceFiles(root) {
  return readdirSync(join(root, 'harness'), { recursive: true })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join('harness', f))
    .sort();
}

export function sourceStamp(root, files = sourceFiles(root)) {
  const h = createHash('sha256');
  for (const f of [...files, 'harness/suite/suite.schema.json', 'bin/build.js', 'bin/source-stamp.js', 'tsconfig.json']) {
    h.update(f);
    h.update('\0');
    h.update(readFileSync(join(root, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

export const STAMP_FILE = 'BUILD-STAMP.json';
