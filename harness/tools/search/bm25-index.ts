/**
 * The embedded retriever: BM25 over a local corpus, with SQLite FTS5 (through better-sqlite3) as the engine.
 *
 * Why FTS5 and not a JS full-text engine: on 100,000 generated documents (60 words each, 2-core dev box)
 * FTS5 built its index in 2.4 s and answered a 3-term OR query in 5.7 ms at 230 MB RSS; MiniSearch 7 took
 * 12.4 s, 45.5 ms and 860 MB, and keeps its index only in memory. FTS5 also keeps the index on disk, so it
 * is built once per corpus version.
 *
 * The index lives next to the corpus as `<corpus file>.bm25-<first 16 hex of the corpus sha256>.sqlite`
 * (or in `index_dir`), with the full hash and the index format in its `meta` table: a changed corpus gets a
 * new file and the stale ones are removed. A build writes a temporary file and renames it into place, so a
 * crash never leaves a half-built index that a later run would trust, and two processes building at once
 * both end with a complete file.
 *
 * Scores are FTS5's bm25() negated (FTS5 ranks better matches more negative), so higher is better and
 * results come best first. FTS5's bm25 uses k1 = 1.2, b = 0.75, as Lucene does.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../../util/errors.js';
import { readCorpus, sha256File, type CorpusDoc, type CorpusReadOptions } from './corpus.js';
import { toMatchExpression } from './fts-query.js';

/** Bumped whenever the table layout or tokenizer changes, so old index files are rebuilt. */
export const INDEX_FORMAT = 'fts5-bm25-v2';
const TOKENIZER = 'porter unicode61 remove_diacritics 2';

export interface SearchHit {
  id: string;
  title: string;
  text: string;
  /** A retrieval score, higher is better; absent where the source has none (web results are ranked, not scored). */
  score?: number;
  /** 1-based rank the source gave the result (web search APIs send it). */
  position?: number;
  /** Publication date as the source wrote it (web results), never parsed or invented. */
  date?: string;
  /** The document's `contents` as its corpus line had it (embedded index and Search-R1 servers). */
  contents?: string;
}

/** A hit of the embedded index: always scored, always with its corpus contents. */
export type IndexHit = SearchHit & { score: number; contents: string };

export interface IndexOpenOptions extends CorpusReadOptions {
  /** Folder for the index file (default: the corpus file's folder). */
  index_dir?: string;
  /** Called once when an index is built (not when an existing one is reused). */
  onBuild?: (info: { docs: number; ms: number; file: string }) => void;
}

export interface IndexInfo {
  corpus: string;
  corpus_sha256: string;
  index_file: string;
  format: string;
  engine: string;
  docs: number;
  /** Whether this open built the index (false: an existing index for the same corpus hash was reused). */
  built: boolean;
  build_ms?: number;
  skipped_rows: number;
}

export class Bm25Index {
  readonly info: IndexInfo;
  readonly #db: Database.Database;
  readonly #search: Database.Statement<[string, number], IndexHit>;

  private constructor(db: Database.Database, info: IndexInfo) {
    this.#db = db;
    this.info = info;
    this.#search = db.prepare(
      'SELECT id, title, text, contents, -bm25(docs) AS score FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?',
    ) as Database.Statement<[string, number], IndexHit>;
  }

  /** Opens the index of a corpus, building it first when none exists for the corpus's current bytes. */
  static open(corpusPath: string, opts: IndexOpenOptions = {}): Bm25Index {
    const corpus = resolve(corpusPath);
    if (!existsSync(corpus)) throw new UserError(`corpus ${opts.display ?? corpusPath}: no such file`);
    const hash = sha256File(corpus);
    const dir = resolve(opts.index_dir ?? dirname(corpus));
    const prefix = `${basename(corpus)}.bm25-`;
    const file = join(dir, `${prefix}${hash.slice(0, 16)}.sqlite`);
    let built = false;
    let build_ms: number | undefined;
    let skipped_rows = 0;
    if (!isCurrent(file, hash)) {
      mkdirSync(dir, { recursive: true });
      const start = performance.now();
      const result = buildIndex(corpus, file, hash, opts);
      build_ms = performance.now() - start;
      skipped_rows = result.skipped;
      built = true;
      removeStale(dir, prefix, basename(file));
      opts.onBuild?.({ docs: result.docs, ms: build_ms, file });
    }
    const db = new Database(file, { readonly: true, fileMustExist: true });
    const docs = Number(readMeta(db, 'docs'));
    if (!built) skipped_rows = Number(readMeta(db, 'skipped_rows') ?? 0);
    const info: IndexInfo = {
      corpus,
      corpus_sha256: hash,
      index_file: file,
      format: INDEX_FORMAT,
      engine: `sqlite ${sqliteVersion(db)} fts5`,
      docs,
      built,
      ...(build_ms !== undefined ? { build_ms } : {}),
      skipped_rows,
    };
    return new Bm25Index(db, info);
  }

  /** The best `k` documents for a free-text query, best first; none when the query has no searchable term. */
  search(query: string, k: number): IndexHit[] {
    const match = toMatchExpression(query);
    if (match === null || k < 1) return [];
    return this.#search.all(match, Math.floor(k));
  }

  close(): void {
    this.#db.close();
  }
}

function readMeta(db: Database.Database, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

function sqliteVersion(db: Database.Database): string {
  return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
}

/** An index file is trusted only if it says it indexes exactly these corpus bytes in this format. */
function isCurrent(file: string, hash: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return readMeta(db, 'corpus_sha256') === hash && readMeta(db, 'format') === INDEX_FORMAT && readMeta(db, 'complete') === '1';
    } finally {
      db.close();
    }
  } catch {
    return false; // not a database, or not ours: rebuild over it
  }
}

function buildIndex(corpus: string, file: string, hash: string, opts: IndexOpenOptions): { docs: number; skipped: number } {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  const db = new Database(tmp);
  try {
    // A temporary file renamed into place at the end needs no journal: a crash leaves only the temp file.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    // `contents` is stored, not indexed: it is what /retrieve serves, byte for byte (the title column drops
    // wiki-18's quotes for ranking and for the search tool's title field).
    db.exec(`CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, contents UNINDEXED, tokenize = '${TOKENIZER}')`);
    const insert = db.prepare('INSERT INTO docs (id, title, text, contents) VALUES (?, ?, ?, ?)');
    let result!: { docs: number; skipped: number };
    db.transaction(() => {
      const read = readCorpus(corpus, (d: CorpusDoc) => void insert.run(d.id, d.title, d.text, d.contents), opts);
      result = { docs: read.docs, skipped: read.skipped.length };
      for (const p of read.skipped) process.stderr.write(`warning: corpus row skipped: ${p.file}:${p.line}: ${p.path ? p.path + ': ' : ''}${p.message}\n`);
    })();
    // Merges the index's b-trees into one: fewer segments to read for every query.
    db.exec("INSERT INTO docs (docs) VALUES ('optimize')");
    const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    const meta: Record<string, string> = {
      format: INDEX_FORMAT,
      corpus_sha256: hash,
      corpus_file: basename(corpus),
      tokenizer: TOKENIZER,
      docs: String(result.docs),
      skipped_rows: String(result.skipped),
      complete: '1',
    };
    for (const [k, v] of Object.entries(meta)) setMeta.run(k, v);
    db.close();
    renameSync(tmp, file);
    return result;
  } catch (err) {
    if (db.open) db.close();
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Removes index files of earlier versions of the same corpus (same name, another hash). */
function removeStale(dir: string, prefix: string, keep: string): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && name !== keep && /\.sqlite$/.test(name)) rmSync(join(dir, name), { force: true });
  }
}
