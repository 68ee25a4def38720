/**
 * Where gtm-bench writes when no --out is given: under the folder it is run from (reports/runs/RUN_ID,
 * reports/trend, reports/curves/SUITE, reports/history.jsonl, baselines/SUITE.json), as promptfoo and inspect
 * write relative to the working folder. Before, these went into the gtm-bench checkout, so a user's own suite
 * run from their own folder left its run folder inside the tool's installation. `npm start` runs from the
 * checkout, so its folders land where they always did.
 */
import { resolve } from 'node:path';

export function defaultOutput(...segments: string[]): string {
  return resolve(process.cwd(), ...segments);
}
