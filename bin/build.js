#!/usr/bin/env node
// Compiles harness/**/*.ts to JavaScript in dist/ (same layout, one folder below the root, so paths that go
// "up to the root" work from both trees) and writes dist/BUILD-STAMP.json with the fingerprint of the sources
// it was made from (source-stamp.js). Runs from `npm ci` / `npm install` through `prepare`, and as `npm run build`.
//
// Why esbuild and not tsc: it is already installed (tsx runs on it), it compiles the 230 files in well under a
// second where tsc's emit takes many, and type checking is `npm run typecheck`'s job anyway. Our files are
// transpiled one by one, not bundled: dist/ mirrors harness/, so a stack trace names the module it came from
// and a command's lazy imports stay lazy. Only a few packages are bundled, into dist/vendor/ (VENDORED below). tsconfig's isolatedModules makes tsc reject what a per-file
// transpiler cannot compile (a type re-exported without `type`, a const enum used across files).
//
// The new tree is written next to dist/ and swapped in only when complete, and only if the sources did not
// change while it was compiled, so a stamp always describes the files beside it.
//
// Usage: node bin/build.js [--out NAME]   (NAME: a folder directly under the root, default dist; tests use it)
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

// Packages bundled each into one module under vendor/ (code they share, such as ajv's in ajv-formats, in common
// chunks), and imported from there by the compiled files: Node loads a package of many small files (vega: ~280 ES
// modules, ajv and yaml: ~100 and ~70 CommonJS files) many times slower than one file of the same code, and an ES
// module imports a CommonJS one only after scanning its text for export names (jsonata's 300 KB: ~40 ms). Our own
// modules stay one file each. The sources import the packages by name; the build rewrites those specifiers.
const VENDORED = ['vega', 'vega-lite', 'ajv/dist/2020.js', 'ajv/dist/standalone/index.js', 'ajv-formats', 'yaml', 'cli-table3', 'jsonata', 'commander'];
const vendorName = (spec) => spec.replace(/\.js$/, '').replace(/[^a-zA-Z0-9-]/g, '_');

/** Bundles VENDORED into `dir`/vendor/: one entry per specifier with the names Node's own import of it has. */
async function buildVendored(dir) {
  const entries = [];
  try {
    for (const spec of VENDORED) {
      const keys = Object.keys(await import(spec));
      const names = keys.filter((n) => n !== 'default');
      const entry = join(root, `.vendor-entry-${process.pid}-${entries.length}.mjs`);
      // A namespace import gives a CommonJS package's module.exports as its default, as Node's import does.
      const fallback = keys.includes('default') ? 'export default ns.default;\n' : '';
      writeFileSync(entry, `import * as ns from '${spec}';\nexport const { ${names.join(', ')} } = ns;\n${fallback}`);
      entries.push({ in: entry, out: join('vendor', vendorName(spec)) });
    }
    await build({
      entryPoints: entries,
      outdir: dir,
      bundle: true,
      splitting: true,
      chunkNames: 'vendor/chunk-[hash]',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // CommonJS code inside an ES module still calls require() (for node: builtins).
      banner: { js: "import { createRequire as __vendorRequire } from 'node:module'; const require = __vendorRequire(import.meta.url);" },
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'warning',
    });
  } finally {
    for (const e of entries) rmSync(e.in, { force: true });
  }
}

/** Points the compiled files' imports of VENDORED (static and dynamic; esbuild writes them as `"spec"`) at vendor/. */
function importVendored(dir) {
  for (const file of readdirSync(dir, { recursive: true })) {
    if (!file.endsWith('.js') || file.startsWith(`vendor${sep}`)) continue;
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    let next = text;
    for (const spec of VENDORED) {
      let rel = relative(dirname(path), join(dir, 'vendor', `${vendorName(spec)}.js`));
      if (!rel.startsWith('.')) rel = `./${rel}`;
      next = next.replaceAll(`from "${spec}"`, `from "${rel}"`).replaceAll(`import("${spec}")`, `import("${rel}")`);
    }
    if (next !== text) writeFileSync(path, next);
  }
}

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
  await buildVendored(tmp);
  importVendored(tmp);
  // The suite schema's validators as ajv standalone code, so the compiled CLI does not compile the schema at every
  // start (suite/schema-ajv.ts; generated by that module itself, with the options it uses at run time).
  const ajvModule = await import(pathToFileURL(join(tmp, 'suite', 'schema-ajv.js')).href);
  writeFileSync(join(tmp, 'suite', ajvModule.PRECOMPILED_SUITE_VALIDATORS), await ajvModule.precompiledSuiteValidatorsSource());
  // Likewise the JSON Schema 2020-12 meta-schema's validators that the tool-schema instances check schemas with.
  for (const [name, source] of await ajvModule.precompiledMetaValidatorSources()) writeFileSync(join(tmp, 'suite', name), source);
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
