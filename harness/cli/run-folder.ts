/** Reading run folders and the gates that apply to them, for the commands that compare runs. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Manifest } from '../records/manifest.js';
import { openRunFolderReadOnly } from '../run/run-folder.js';
import { readRecords } from '../records/reader.js';
import type { RunRecord } from '../records/types.js';
import { manifestPath } from '../report/run-inputs.js';
import type { GatesSpec } from '../suite/report-sections.js';
import { readSuite } from '../suite/load.js';
import { UserError } from '../util/errors.js';
import { sha256 } from '../util/hash.js';

export interface RunFolder {
  dir: string;
  manifest: Manifest;
  records: RunRecord[];
}

/** A fidelity run folder with its records, read without the writer's lock (see run/run-folder.ts). */
export function loadRunFolder(dirArg: string): RunFolder {
  const { dir, manifest, kind } = openRunFolderReadOnly(dirArg);
  if (kind !== 'fidelity') throw new UserError(`${dirArg} is an ${kind} run folder; this command reads fidelity runs (records.jsonl)`);
  if (!existsSync(join(dir, 'records.jsonl'))) throw new UserError(`${dirArg} is not a run folder: it has no records.jsonl`);
  const { records, torn_tail } = readRecords(join(dir, 'records.jsonl'));
  if (torn_tail) process.stderr.write(`warning: ${torn_tail}\n`);
  return { dir, manifest, records };
}

/**
 * The gates of a suite: the file given with --suite, else the suite file the manifest names. A suite edited
 * since the run still gives its gates (they are thresholds, not data), with a note saying so.
 */
export function loadGates(manifest: { suite: { file: string; sha256: string } }, suiteFlag?: string): { gates?: GatesSpec; source: string } {
  const file = suiteFlag ? resolve(suiteFlag) : manifestPath(manifest.suite.file);
  if (!existsSync(file)) {
    if (suiteFlag) throw new UserError(`--suite ${suiteFlag}: no such file`);
    return { source: `none (the suite file ${manifest.suite.file} is not here; give --suite FILE)` };
  }
  const suite = readSuite(file);
  const changed = !suiteFlag && sha256(readFileSync(file)) !== manifest.suite.sha256 ? ', edited since the run' : '';
  if (!suite.gates) return { source: `none (${suiteFlag ?? manifest.suite.file} has no gates section; nothing is gated)` };
  return { gates: suite.gates, source: `from ${suiteFlag ?? manifest.suite.file}${changed}` };
}
