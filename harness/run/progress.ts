/**
 * What a run reports its progress to. The run driver (run-suite.ts) calls it; the CLI supplies the terminal
 * bar or plain lines (cli/progress.ts). The contract lives here, beside its caller, so run/ never imports cli/.
 */
import type { RunRecord } from '../records/types.js';

export interface Progress {
  start(total: number): void;
  tick(record: RunRecord): void;
  stop(): void;
}
