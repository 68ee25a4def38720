#!/usr/bin/env node
// Compiles harness/**/*.ts to JavaScript in dist/ (same layout, one folder below the root, so paths that go
// "up to the root" work from both trees) and writes dist/BUILD-STAMP.json with the fingerprint of the sources
// it was made from (source-stamp.js). Runs from `npm ci` / `npm install` through `prepare`, and as `npm run build`.
//
// Why esbuild and not tsc: it is already installed (tsx runs on it), it compiles the 230 files in well under a
// second where tsc's emit takes many, and type checking is `npm run typecheck`'s job anyway. Files are
// transpiled one by one, not bundled: dist/ mirrors harness/, so a stack trace names the module it came from
// and a command's lazy imports stay lazy. tsconfig's isolatedModules makes tsc reject what a per-file
// transpiler cannot compile (a type re-exported without `type`, a const enum used across files).
//
// The new tree is written next to dist/ and swapped in only when complete, and only if the sources did not
// change while it was compiled, so a stamp always describes the files beside it.
//
// Usage: node bin/build.js [--out NAME]   (NAME: a folder directly under the root, default dist; tests use it)
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, version as esbuildVersion } from 'esbuild';
import { sourceFiles, sourceStamp, STAMP_FILE } from './source-stamp.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const outName = outArg > 0 ? process.argv[outArg + 1] : 'dist';
if (!outName || basename(outName) !== outName || outName === '.' || outName === '..' || outName === 'harness') {
  console.error(`bin/build.js: --out must name a folder directly under the package root (got ${JSON.stringify(outName)})`);
  process.exit(2);
}
const out = join(root, outName);
const tmp = join(root, `.${outName}-building-${process.pid}`);

const t0 = performance.now();
const files = sourceFiles(root);
const stamp = sourceStamp(root, files);
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp);
try {
  await build({
    entryPoints: files.map((f) => join(root, f)),
    outdir: tmp,
    outbase: join(root, 'harness'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: false,
    // Linked maps without the sources: small, and `node --enable-source-maps` maps a stack trace back to harness/.
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
  if (sourceStamp(root) !== stamp) {
    throw new Error('the sources changed while they were being compiled; run `npm run build` again');
  }
  writeFileSync(
    join(tmp, STAMP_FILE),
    JSON.stringify({ stamp, files: files.length, esbuild: esbuildVersion, built_at: new Date().toISOString() }, null, 2) + '\n',
  );
  const old = join(root, `.${outName}-old-${process.pid}`);
  if (existsSync(out)) renameSync(out, old);
  renameSync(tmp, out);
  rmSync(old, { recursive: true, force: true });
} catch (err) {
  rmSync(tmp, { recursive: true, force: true });
  console.error(`bin/build.js: ${err?.message ?? err}`);
  process.exit(1);
}
console.log(
  `compiled ${files.length} files to ${outName}/ in ${Math.round(performance.now() - t0)} ms (esbuild ${esbuildVersion}, sources ${stamp.slice(0, 12)})`,
);
