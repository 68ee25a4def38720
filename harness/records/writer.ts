/**
 * records.jsonl's writer: a JSONL sink (jsonl.ts: one write(2) per record or per batch of records, failed
 * or short writes cut back and reported) whose serialiser (record-line.ts, which splices an already
 * serialised request in) never throws. A record that JSON.stringify refuses (a value nested past what the
 * engine's stack allows, which the parser's depth limit should already have stopped) is written without its
 * parsed output and marked `output_too_deep`, so the item is recorded once and `--resume` never meets it again.
 */
import { openJsonlSink, RECORD_BATCHING, RunFolderWriteError, type JsonlSink } from './jsonl.js';
import { TextStoreWriter, type TextIds } from './text-store.js';
import { recordLine } from './record-line.js';
import type { RunRecord } from './types.js';

export type RecordSink = JsonlSink<RunRecord>;

/** Characters of raw text kept when a record had to be written without its output. */
const RAW_HEAD = 4096;

export function serialiseRecord(record: RunRecord, texts?: TextIds): string {
  try {
    return recordLine(record, texts);
  } catch (err) {
    // A failed write of a shared text (a full disk) is the run folder's write error, not a bad record.
    if (err instanceof RunFolderWriteError) throw err;
    const raw = record.raw === null ? null : record.raw.slice(0, RAW_HEAD);
    const why = `record not serialisable (${(err as Error)?.message ?? String(err)}); output dropped, raw text cut to its first ${RAW_HEAD} characters`;
    const { output: _output, ...rest } = record;
    const safe: RunRecord = { ...rest, request: safeJson(record.request), raw, parse: { status: 'output_too_deep', outcome: 'none', note: why } };
    return JSON.stringify(safe);
  }
}

function safeJson(v: unknown): unknown {
  try {
    JSON.stringify(v);
    return v;
  } catch {
    return '(request not serialisable)';
  }
}

/**
 * `batch`: write records in batches (jsonl.ts RECORD_BATCHING): a run's records; a live server's stay per line.
 * `texts`: the run folder's texts.jsonl (text-store.ts): shared request texts are stored there once and the
 * records refer to them; without it every record holds its whole request.
 */
export function openRecordWriter(path: string, opts: { batch?: boolean; texts?: string } = {}): RecordSink {
  const texts = opts.texts === undefined ? undefined : new TextStoreWriter(opts.texts);
  let sink: RecordSink;
  try {
    sink = openJsonlSink<RunRecord>(path, (r) => serialiseRecord(r, texts), opts.batch ? RECORD_BATCHING : undefined);
  } catch (err) {
    texts?.close();
    throw err;
  }
  if (!texts) return sink;
  // The records' own sink, its close extended (no wrapper: a record's write stays one call from the engine).
  const closeRecords = sink.close.bind(sink);
  sink.close = () => {
    // The records first: a batch still held may refer to texts, which are all written already.
    try {
      closeRecords();
    } finally {
      texts.close();
    }
  };
  return sink;
}
