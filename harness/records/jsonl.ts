/**
 * The one JSONL utility of the run folder (records.jsonl, episodes.jsonl, steps.jsonl).
 *
 * Writing: one write(2) per line and nothing buffered in the process, so a crash (even SIGKILL) loses at most
 * the lines in flight; or, for a run's records, one write(2) per batch (JsonlBatching below), so a SIGKILL
 * loses at most the batch held, which --resume calls again. A failed or short write (a full disk, an I/O error) is never left behind: the file is
 * cut back to the end of the last whole line, the sink refuses further writes, and a RunFolderWriteError names
 * the path and the OS error, so the run stops with its own exit code and `--resume` continues once there is
 * room again. fsync is not called per line (it would cap the harness at the disk's flush rate, and a process
 * crash, unlike a power cut, keeps what was written).
 *
 * Reading: synchronous and streamed in fixed-size chunks, so a file of any size is read without ever being
 * one string (V8 refuses strings over ~512 MiB; records.jsonl passes that at about 110k records). Only a last
 * line without its newline may be incomplete (a crash mid-write): it is reported, not fatal. A bad line
 * anywhere else is an error naming the file and line.
 */
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { RunFolderWriteError } from './write-error.js';
import { redactJsonText, redactText } from '../util/redact.js';

export { RunFolderWriteError, WRITE_FAILED_EXIT_CODE } from './write-error.js';

export interface JsonlSink<T> {
  write(value: T): void;
  /** Writes what a batching sink holds (a no-op otherwise); throws the RunFolderWriteError of a failed write. */
  flush?(): void;
  /** Flushes, then closes the file. */
  close(): void;
  /** Lines accepted (with batching, some may still be in the batch until the next flush). */
  readonly count: number;
}

/**
 * Batching (records.jsonl during a run): lines are kept and written together once `lines` are held, `bytes`
 * are held, `ms` after the first one, on flush() and close(), and when the process exits (an `exit` handler:
 * process.exit, a second Ctrl-C, an uncaught error). One write(2) per batch instead of per line. What it
 * gives up: a SIGKILL or power cut loses the batch being held (at most `lines` lines, `ms` of them), which
 * --resume calls again, as it does a line in flight without batching.
 */
export interface JsonlBatching {
  lines: number;
  bytes: number;
  ms: number;
}

/** The run's records: 64 lines (about 0.3 MB at 4.5 KB each), 256 KiB or 50 ms, whichever comes first. */
export const RECORD_BATCHING: JsonlBatching = { lines: 64, bytes: 256 * 1024, ms: 50 };

/** Open batching sinks, flushed by one process `exit` handler. */
const batchingSinks = new Set<{ flush?(): void }>();
let exitHandler = false;
function flushAtExit(): void {
  for (const s of batchingSinks) {
    try {
      s.flush?.();
    } catch {
      // a failed write at exit: the file is cut back to its last whole line (fail below); nothing else to do
    }
  }
}

/**
 * Appends `serialise(value)` plus a newline per write. `serialise` defaults to JSON.stringify; a caller that
 * must never fail to write (records.jsonl) passes one that degrades instead of throwing.
 */
export function openJsonlSink<T>(path: string, serialise: (value: T) => string = (v) => JSON.stringify(v), batching?: JsonlBatching): JsonlSink<T> {
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch (err) {
    throw new RunFolderWriteError(path, err);
  }
  let end = fstatSync(fd).size;
  let count = 0;
  let closed = false;
  let broken: RunFolderWriteError | undefined;
  /** Whether `broken` was thrown to a caller (a timed flush that fails has no caller: the next call throws it). */
  let reported = false;
  const held: string[] = [];
  let heldChars = 0;
  let timer: NodeJS.Timeout | undefined;
  const fail = (err: unknown): never => {
    // Cut back to the last whole line, so the file stays readable and resumable; best effort on a sick disk.
    try {
      ftruncateSync(fd, end);
    } catch {
      // the truncate failed too: the reader and --resume drop a torn last line
    }
    broken = err instanceof RunFolderWriteError ? err : new RunFolderWriteError(path, err);
    throw broken;
  };
  const writeOut = (text: string) => {
    const buf = Buffer.from(text, 'utf8');
    let done = 0;
    try {
      while (done < buf.length) {
        const n = writeSync(fd, buf, done, buf.length - done);
        if (n <= 0) fail(Object.assign(new Error(`short write (${done} of ${buf.length} bytes)`), { code: 'SHORT_WRITE' }));
        done += n;
      }
    } catch (err) {
      fail(err);
    }
    end += buf.length;
  };
  const flushHeld = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (broken) throw broken;
    if (held.length === 0 || closed) return;
    const text = held.length === 1 ? held[0] : held.join('');
    held.length = 0;
    heldChars = 0;
    writeOut(text);
  };
  /** Runs `fn`; a write error it throws counts as told to the caller. */
  const report = <R>(fn: () => R): R => {
    try {
      return fn();
    } catch (err) {
      reported = true;
      throw err;
    }
  };
  const sink: JsonlSink<T> = {
    write(value) {
      report(() => {
        if (broken) throw broken;
        if (closed) throw new Error(`${path} is closed`);
        const line = redactLine(serialise(value)) + '\n';
        count++;
        if (!batching) return writeOut(line);
        held.push(line);
        heldChars += line.length;
        if (held.length >= batching.lines || heldChars >= batching.bytes) flushHeld();
        else if (!timer) {
          timer = setTimeout(() => {
            try {
              flushHeld();
            } catch {
              // no caller here: the next write, flush or close throws it
            }
          }, batching.ms);
          timer.unref();
        }
      });
    },
    flush: () => report(flushHeld),
    close() {
      if (closed) return;
      const told = broken !== undefined && reported;
      let err: unknown;
      try {
        flushHeld();
      } catch (e) {
        err = e;
      }
      batchingSinks.delete(sink);
      closeSync(fd);
      closed = true;
      // A failure already thrown to the caller is not thrown again by the close in its `finally`.
      if (err !== undefined && !told)
        report(() => {
          throw err;
        });
    },
    get count() {
      return count;
    },
  };
  if (batching) {
    batchingSinks.add(sink);
    if (!exitHandler) process.on('exit', flushAtExit);
    exitHandler = true;
  }
  return sink;
}

/** A line as written: no secret in it (util/redact.ts), and still one JSON value. Never throws (the records writer relies on it). */
function redactLine(line: string): string {
  try {
    return redactJsonText(line);
  } catch {
    return redactText(line);
  }
}

export interface JsonlLine {
  /** The line's text, without its newline. */
  text: string;
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte. */
  start: number;
  /** False only for a last line without its newline. */
  complete: boolean;
}

const CHUNK = 1 << 20;

/** Every non-blank line of a file, streamed in 1 MiB chunks (bytes are split on \n before decoding, so UTF-8 is never cut). */
export function jsonlLines(path: string, chunkBytes = CHUNK): Generator<JsonlLine> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new UserError(`cannot read ${path}: ${(err as Error).message}`);
  }
  return linesOf(fd, path, chunkBytes);
}

function* linesOf(fd: number, path: string, chunkBytes: number): Generator<JsonlLine> {
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    let pending: Buffer[] = [];
    let pendingStart = 0;
    let pos = 0;
    let line = 0;
    const decode = (b: Buffer, start: number, end: number): string => {
      try {
        return b.toString('utf8', start, end);
      } catch (err) {
        throw new UserError(`${path}:${line}: a line of ${end - start} bytes is too long to read: ${(err as Error).message}`);
      }
    };
    const emit = (text: string, start: number, complete: boolean): JsonlLine | undefined => (text.trim() === '' ? undefined : { text, line, start, complete });
    /** A line held in `pending` (it began in an earlier chunk), plus `tail` of this chunk. */
    const pendingText = (tail: Buffer | undefined): string => {
      if (tail) pending.push(tail);
      const bytes = pending.length === 1 ? pending[0] : Buffer.concat(pending);
      return decode(bytes, 0, bytes.length);
    };
    for (;;) {
      const n = readSync(fd, buf, 0, chunkBytes, pos);
      if (n === 0) break;
      let from = 0;
      for (;;) {
        const nl = buf.indexOf(10, from);
        if (nl < 0 || nl >= n) break;
        line++;
        // A line inside the chunk is decoded straight from it: no copy of its bytes first (most lines).
        const text = pending.length ? pendingText(buf.subarray(from, nl)) : decode(buf, from, nl);
        const l = emit(text, pendingStart, true);
        if (l) yield l;
        pending = [];
        pendingStart = pos + nl + 1;
        from = nl + 1;
      }
      if (from < n) pending.push(Buffer.from(buf.subarray(from, n)));
      pos += n;
    }
    if (pending.length) {
      line++;
      const l = emit(pendingText(undefined), pendingStart, false);
      if (l) yield l;
    }
  } finally {
    closeSync(fd);
  }
}

export interface ReadJsonlOptions<T> {
  /** Checks or converts a parsed line; throw a UserError to refuse it. */
  accept?: (value: unknown, where: string) => T;
  /** What a line is called in messages ("JSON record"); default "JSON line". */
  noun?: string;
}

export interface JsonlVisit {
  /** Set when the last line was incomplete (a crash mid-write); that line is skipped. */
  torn_tail?: string;
  /** Whole lines read. */
  lines: number;
}

/** Calls `fn` with each parsed line, in order, holding one line at a time. A missing file reads as empty. */
export function forEachJsonl<T>(path: string, fn: (value: T, line: JsonlLine) => void, opts: ReadJsonlOptions<T> = {}): JsonlVisit {
  if (!existsSync(path)) return { lines: 0 };
  let torn_tail: string | undefined;
  let lines = 0;
  for (const l of jsonlLines(path)) {
    let value: unknown;
    try {
      value = JSON.parse(l.text);
    } catch (err) {
      // JSON.parse's message quotes the line: only once the file has shown itself to be JSON lines (util/foreign-file.ts).
      if (l.complete && lines === 0) throw new UserError(`${path}:${l.line}: not a JSONL file: line ${l.line} is not JSON`);
      if (l.complete) throw new UserError(`${path}:${l.line}: not a ${opts.noun ?? 'JSON line'}: ${(err as Error).message}`);
      torn_tail = `${path}:${l.line}: incomplete last line dropped (${Buffer.byteLength(l.text)} bytes)`;
      continue;
    }
    fn(opts.accept ? opts.accept(value, `${path}:${l.line}`) : (value as T), l);
    lines++;
  }
  return { lines, ...(torn_tail ? { torn_tail } : {}) };
}

/** Every parsed line of a JSONL file (streamed: the file is never one string; the rows are all held). */
export function readJsonl<T>(path: string, opts: ReadJsonlOptions<T> = {}): { rows: T[]; torn_tail?: string } {
  const rows: T[] = [];
  const visit = forEachJsonl<T>(path, (v) => rows.push(v), opts);
  return { rows, ...(visit.torn_tail ? { torn_tail: visit.torn_tail } : {}) };
}
