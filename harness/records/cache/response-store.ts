/**
 * The response cache's storage: one SQLite database (better-sqlite3, WAL mode) holding one row per cache
 * key (cache-key.ts: the request as sent) with the answer a model endpoint (a simulator target, the judge) gave. WAL lets several gtm-bench processes on one machine
 * (shards, a replay beside a run) read while one writes; `busy_timeout` makes a writer wait for another
 * instead of failing. The first answer stored for a key is kept (INSERT OR IGNORE): a key names a request
 * exactly, so a second answer for it is a re-sample, not a correction. Keep the database on a local disk:
 * SQLite's locking is not reliable over network file systems.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CompletionResult } from '../../targets/openai-client.js';
import { UserError } from '../../util/errors.js';
import { redactJsonText } from '../../util/redact.js';

const FLUSH_ROWS = 256;
const FLUSH_MS = 50;

export type CacheMode = 'read-write' | 'read-only' | 'off';
export const CACHE_MODES: readonly CacheMode[] = ['read-write', 'read-only', 'off'];

/**
 * What a cache row keeps: a model endpoint's answer as the client returned it (text, usage, finish reason,
 * latency, retries, the replica) and the backend that produced it. Only answers are stored, so no error.
 */
export type StoredAnswer = Omit<CompletionResult, 'error'> & { backend: string };

export interface CacheCounts {
  hits: number;
  misses: number;
  stored: number;
}

export const emptyCacheCounts = (): CacheCounts => ({ hits: 0, misses: 0, stored: 0 });

/** One role's use of the store (run/cache-stage.ts): whether it writes, the fingerprint in its keys, its own counts. */
export interface ResponseCacheView {
  readonly store: ResponseStore;
  readonly writes: boolean;
  /** The served checkpoint's weights fingerprint, for a target gtm-bench serves. */
  readonly fingerprint?: string;
  readonly counts: CacheCounts;
}

export interface ResponseStore {
  readonly path: string;
  get(key: string): StoredAnswer | undefined;
  /** Stores the first answer for a key; a later one for the same key is ignored. */
  put(key: string, model: string, answer: StoredAnswer): void;
  readonly size: number;
  close(): void;
}

/** `$GTM_BENCH_CACHE_DIR/responses.sqlite`, else `.gtm-cache/responses.sqlite` under the harness root. */
export function responseStorePath(cacheDir: string): string {
  return join(cacheDir, 'responses.sqlite');
}

export function parseCacheMode(text: string): CacheMode {
  if ((CACHE_MODES as readonly string[]).includes(text)) return text as CacheMode;
  throw new UserError(`--cache ${text}: expected one of ${CACHE_MODES.join(', ')}`);
}

export function openResponseStore(path: string, opts: { readOnly: boolean }): ResponseStore {
  let db: Database.Database;
  try {
    if (!opts.readOnly) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { readonly: opts.readOnly, fileMustExist: opts.readOnly });
  } catch (err) {
    const why = opts.readOnly ? ' (--cache read-only needs an existing cache; fill one with --cache read-write)' : '';
    throw new UserError(`cannot open the response cache ${path}: ${(err as Error).message}${why}`);
  }
  db.pragma('busy_timeout = 10000');
  if (!opts.readOnly) {
    db.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL survives a process crash (the case that matters here) without an fsync per row.
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE IF NOT EXISTS responses (
      key TEXT PRIMARY KEY,
      model TEXT NOT NULL,
      observation TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) WITHOUT ROWID`);
  }
  let getStmt: Database.Statement<[string], { observation: string }>;
  try {
    getStmt = db.prepare('SELECT observation FROM responses WHERE key = ?');
  } catch (err) {
    db.close();
    throw new UserError(`the response cache ${path} is not a gtm-bench cache: ${(err as Error).message}`);
  }
  const putStmt = opts.readOnly ? undefined : db.prepare('INSERT OR IGNORE INTO responses (key, model, observation, created_at) VALUES (?, ?, ?, ?)');
  const countStmt = db.prepare('SELECT count(*) AS n FROM responses');
  // Rows are written in batches, one transaction each: a commit per row would cap a run at the database's
  // commit rate. A batch waits at most FLUSH_MS; a crash loses at most that much cache, never a record.
  const pending = new Map<string, [string, string, string, string]>();
  let timer: NodeJS.Timeout | undefined;
  const insertAll = putStmt ? db.transaction((rows: [string, string, string, string][]) => rows.forEach((r) => putStmt.run(...r))) : undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!pending.size || !db.open) return;
    const rows = [...pending.values()];
    pending.clear();
    insertAll!(rows);
  };
  return {
    path,
    get(key) {
      const row = pending.get(key)?.[2] ?? getStmt.get(key)?.observation;
      return row ? (JSON.parse(row) as StoredAnswer) : undefined;
    },
    put(key, model, answer) {
      if (!putStmt) throw new Error('put on a read-only response cache');
      // The answer as cached holds no secret (a server that echoed the key), like every file written.
      if (!pending.has(key)) pending.set(key, [key, model, redactJsonText(JSON.stringify(answer)), new Date().toISOString()]);
      if (pending.size >= FLUSH_ROWS) flush();
      else timer ??= setTimeout(flush, FLUSH_MS).unref();
    },
    get size() {
      flush();
      return (countStmt.get() as { n: number }).n;
    },
    close() {
      flush();
      if (db.open) db.close();
    },
  };
}
