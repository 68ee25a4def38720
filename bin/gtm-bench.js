#!/usr/bin/env node
// Starts the CLI from the compiled build (dist/, made by `npm ci` through `prepare`, or `npm run build`) when
// that build was made from exactly the sources in harness/ now, and otherwise from the TypeScript sources
// through tsx, as in development. A stale build is never run: the check hashes the sources at every start
// (a few ms; see source-stamp.js).
//   GTM_BENCH_FROM_SOURCE=1   always run the sources through tsx
//   GTM_BENCH_BUILD=require   refuse to start (exit 2) unless the compiled build is current (CI uses it)
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledEntry } from './compiled-entry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = process.env.GTM_BENCH_FROM_SOURCE === '1' ? { reason: 'GTM_BENCH_FROM_SOURCE=1' } : compiledEntry(root);
if (compiled.entry) {
  await import(pathToFileURL(compiled.entry).href);
} else if (process.env.GTM_BENCH_BUILD === 'require') {
  process.stderr.write(`gtm-bench: GTM_BENCH_BUILD=require, but ${compiled.reason}\n`);
  process.exit(2);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../harness/cli/main.ts');
}
