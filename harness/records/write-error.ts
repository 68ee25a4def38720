/**
 * A write into the run folder that failed (a full disk, an I/O error, a read-only mount): its own error and
 * exit code, naming the file and the OS error, so a full disk is never reported as a bug in gtm-bench and the
 * real error is not hidden behind a later one. Everything the run folder writes goes through these.
 */
import { writeFileSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { redactFileText } from '../util/redact.js';

/** Exit code of a run stopped because its folder could not be written (disk full, I/O error, read-only). */
export const WRITE_FAILED_EXIT_CODE = 4;

/** A write into the run folder failed; records already written are whole and `--resume` continues. */
export class RunFolderWriteError extends UserError {
  readonly path: string;
  /** The OS error code (ENOSPC, EIO, EDQUOT, EROFS...), or SHORT_WRITE. */
  readonly code: string;
  constructor(path: string, err: unknown) {
    const code = (err as NodeJS.ErrnoException)?.code ?? 'EIO';
    const what = code === 'ENOSPC' || code === 'EDQUOT' ? 'disk full' : 'write failed';
    super(
      `${what}: cannot write ${path}: ${(err as Error)?.message ?? String(err)}; the records written so far are whole: free space and continue with --resume`,
      [],
      WRITE_FAILED_EXIT_CODE,
    );
    this.name = 'RunFolderWriteError';
    this.path = path;
    this.code = code;
  }
  /** What the manifest says about the run's end. */
  get reason(): string {
    return this.code === 'ENOSPC' || this.code === 'EDQUOT' ? 'disk full' : `write failed (${this.code})`;
  }
}

/** writeFileSync of a text with every secret removed (util/redact.ts), failing with a RunFolderWriteError naming the file. */
export function writeRunFile(path: string, text: string): void {
  try {
    writeFileSync(path, redactFileText(path, text));
  } catch (err) {
    throw new RunFolderWriteError(path, err);
  }
}
