/**
 * The I/O edge that gathers what a run report shows beside the run folder's own files: the recorded real
 * responses from the datasets (checked against the manifest's hashes), the curves of the suite's `curves`
 * section (only when the suite file is still the one that ran), and the paper baseline. Each comes back
 * with a note saying why it is missing, never as a silent gap.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { HARNESS_ROOT, type Manifest } from '../records/manifest.js';
import { readSuite } from '../suite/load.js';
import { parseSource } from '../suite/source.js';
import { UserError } from '../util/errors.js';
import { sha256 } from '../util/hash.js';
import { loadCurves } from './curves/load-curves.js';
import type { CurvesData } from './curves/types.js';
import { parsePaperBaseline, type PaperBaseline } from './paper-table.js';

export const PAPER_BASELINE_FILE = join(HARNESS_ROOT, 'baselines', 'paper-2512.04535.json');

/** Manifest paths are relative to the harness root when they were inside it. */
export function manifestPath(p: string): string {
  return isAbsolute(p) ? p : resolve(HARNESS_ROOT, p);
}

/** A dataset row as the worst-cases section shows it: the call's arguments and the real tool's recorded output. */
export interface DatasetCallView {
  arguments: unknown;
  /** Absent when the row has no reference. */
  reference?: unknown;
}

/** The dataset rows of a run, by call id, read only from files whose bytes still match the manifest. */
export function loadDatasetCalls(manifest: Manifest): { calls: Map<string, DatasetCallView>; note?: string } {
  const calls = new Map<string, DatasetCallView>();
  const problems: string[] = [];
  for (const [name, d] of Object.entries(manifest.datasets ?? {})) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(manifestPath(d.path));
    } catch {
      problems.push(`dataset ${name} (${d.path}) is not readable here`);
      continue;
    }
    if (sha256(bytes) !== d.sha256) {
      problems.push(`dataset ${name} (${d.path}) changed since the run (sha256 differs)`);
      continue;
    }
    for (const line of bytes.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const row = JSON.parse(line) as { id?: unknown; arguments?: unknown; reference?: unknown };
        if (typeof row.id === 'string') calls.set(row.id, { arguments: row.arguments, ...('reference' in row ? { reference: row.reference } : {}) });
      } catch {
        // Malformed rows were reported (or skipped) when the run loaded the dataset.
      }
    }
  }
  const note = problems.length ? `Arguments and recorded real responses not shown for some calls: ${problems.join('; ')}.` : undefined;
  return { calls, ...(note ? { note } : {}) };
}

/** The curves of the suite that ran, when its file is still there and unchanged. */
export function loadRunCurves(manifest: Manifest): { curves?: CurvesData; note?: string } {
  if (!manifest.suite?.file) return {};
  const file = manifestPath(manifest.suite.file);
  if (!existsSync(file)) return { note: `Curves not loaded: the suite file ${manifest.suite.file} is not here.` };
  const bytes = readFileSync(file);
  if (sha256(bytes) !== manifest.suite.sha256) {
    return {
      note: `Curves not loaded: the suite file ${manifest.suite.file} changed since the run (sha256 differs), so its curves section may not be the one that ran.`,
    };
  }
  // A suite without a curves section has no curves: loading it whole again (its tool files and their checks) would
  // only cost time (~30 ms of a one-call run). A file that does not parse goes on to readSuite, which says why.
  const top = parseSource(bytes, file).value;
  if (top !== null && typeof top === 'object' && !Array.isArray(top) && !('curves' in top)) return {};
  try {
    const suite = readSuite(file);
    return suite.curves ? { curves: loadCurves(suite.curves) } : {};
  } catch (err) {
    if (err instanceof UserError) return { note: `Curves not loaded: ${err.message}.` };
    throw err;
  }
}

export function loadPaperBaseline(file = PAPER_BASELINE_FILE): { paper?: PaperBaseline; note?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { note: `No paper baseline: ${file} is not readable.` };
  }
  try {
    return { paper: parsePaperBaseline(JSON.parse(text), file) };
  } catch (err) {
    return { note: `Paper baseline not used: ${(err as Error).message}` };
  }
}
