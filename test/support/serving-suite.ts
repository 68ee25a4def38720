/**
 * The serving fixtures' echo suite (test/fixtures/serving) as the record-format and replay tests use it: run once
 * against a fresh echo stand-in, and copied with its targets (or anything else) rewritten.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '../../harness/run/progress.js';
import { runSuite, type RunSuiteResult } from '../../harness/run/run-suite.js';
import { startStandIn } from '../../dev/stand-ins/vllm-stand-in.js';
import { ROOT } from './cli-child.js';
import { echoResponse } from './echo-responder.js';

export const SERVING_DIR = join(ROOT, 'test/fixtures/serving');

/** Runs the echo suite once into `out`, its gtm target answered by an echo stand-in that is closed afterwards. */
export async function runServingSuite(out: string, progress: Progress): Promise<RunSuiteResult> {
  const server = await startStandIn({ models: ['gtm-echo'], respond: echoResponse });
  try {
    return await runSuite({
      suiteFile: join(SERVING_DIR, 'echo-suite.yaml'),
      out,
      argv: [],
      progress,
      env: { GTM_BASE_URL: `${server.url}/v1`, GTM_MODEL: 'gtm-echo' },
    });
  } finally {
    await server.close();
  }
}

/**
 * A copy of the serving fixtures in `dir` whose echo-suite.yaml is `edit`ed (its relative harness paths made
 * absolute first, since the copy is elsewhere); returns the suite's path.
 */
export function editedServingSuite(dir: string, edit: (yaml: string) => string): string {
  cpSync(SERVING_DIR, dir, { recursive: true });
  const file = join(dir, 'echo-suite.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8').replace(/\.\.\/\.\.\/\.\.\/harness/g, join(ROOT, 'harness'))));
  return file;
}

/** The echo suite with its targets replaced by `targets` (YAML lines under `targets:`). */
export function servingSuiteWithTargets(dir: string, targets: string): string {
  return editedServingSuite(dir, (yaml) => yaml.replace(/^targets:[\s\S]*$/m, `targets:\n${targets}`));
}
