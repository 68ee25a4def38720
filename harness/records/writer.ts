/**
 * records.jsonl is the run's only state: one line per work item, appended and handed to the kernel with
 * a write(2) per record, so a crash (even SIGKILL) loses at most the calls still in flight. Nothing is
 * buffered in the process; fsync is not called per line (it would cap the harness at the disk's flush
 * rate, and a process crash, unlike a power cut, keeps what was written).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { recordLine } from './record-line.js';
import type { RunRecord } from './types.js';

export interface RecordSink {
  write(record: RunRecord): void;
  close(): void;
  readonly count: number;
}

export function openRecordWriter(path: string): RecordSink {
  const fd = openSync(path, 'a');
  let count = 0;
  let closed = false;
  return {
    write(record) {
      if (closed) throw new Error(`record writer for ${path} is closed`);
      writeSync(fd, recordLine(record) + '\n');
      count++;
    },
    close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
    get count() {
      return count;
    },
  };
}
