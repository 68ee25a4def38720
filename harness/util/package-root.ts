/**
 * Where the package's files are, for code that runs both from the TypeScript sources (harness/X/y.ts, through
 * tsx) and from the compiled build (dist/X/y.js, bin/build.js). The build keeps harness/'s layout one level
 * below the root, so "two levels up from a module in a first-level folder" is the root in both; and data
 * files (schemas, prompt templates, scripts) are always read from harness/ itself, never copied into dist/,
 * so a path recorded in a manifest or a cache key is the same whichever way the CLI was started.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: package.json, suites/, baselines/, harness/ (and dist/ once built). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A data file that ships in harness/ (not a module): `harnessFile('prompts', 'gtm-tool-sim-v1.yaml')`. */
export function harnessFile(...segments: string[]): string {
  return join(PACKAGE_ROOT, 'harness', ...segments);
}
