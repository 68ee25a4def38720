/**
 * The run folder's store of shared request texts, texts.jsonl: one line per distinct text, `{sha256, chars,
 * text}`, written once, before the first record that refers to it (records/record-line.ts), so a record line
 * never names a text that is not already in the file. A record keeps a reference (`request_refs`) in place of
 * the text: a million calls of one tool hold its 3 KB of prompt once, not a million times.
 *
 * Written through the JSONL sink (jsonl.ts: one write(2) per line, a failed write cut back and reported as a
 * RunFolderWriteError, secrets redacted), unbatched: the text is in the file before the record that refers to it
 * is even queued in the records' batch. A text that the redactor would change is never stored (its record
 * keeps it inline, redacted there as before), so every stored text is exactly the text its sha256 names.
 */
import { existsSync, statSync, closeSync, openSync, readSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors.js';
import { sha256 } from '../util/hash.js';
import { redactText } from '../util/redact.js';
import { forEachJsonl, openJsonlSink, type JsonlSink } from './jsonl.js';

export const TEXTS_FILE = 'texts.jsonl';

export interface StoredTextLine {
  sha256: string;
  /** The text's length in UTF-16 code units (String.length). */
  chars: number;
  text: string;
}

/** What record-line.ts needs: the id of a text, stored first when new; undefined for a text that cannot be stored. */
export interface TextIds {
  idOf(text: string): string | undefined;
}

/** The writing side, for one run folder's texts.jsonl (a resumed run appends to the one it has). */
export class TextStoreWriter implements TextIds {
  /**
   * Text -> its sha256, or null when it is not stored. Keyed by the string: the template hands out the same string
   * object for a tool's part on every call, and V8 keeps a string's hash in it and compares identical strings by
   * pointer, so after the first call a look-up costs no pass over the text.
   */
  private readonly ids = new Map<string, string | null>();
  private readonly inFile: Set<string>;
  /** Opened with the first text: a run whose requests share none (local targets) gets no texts.jsonl. */
  private sink: JsonlSink<StoredTextLine> | undefined;

  constructor(readonly path: string) {
    this.inFile = existsSync(path) ? storedIds(path) : new Set();
  }

  idOf(text: string): string | undefined {
    let id = this.ids.get(text);
    if (id === undefined) {
      // A text with a secret in it (or a URL with credentials) is left inline, where the record line is redacted.
      id = redactText(text) === text ? sha256(text) : null;
      if (id !== null && !this.inFile.has(id)) {
        (this.sink ??= openJsonlSink<StoredTextLine>(this.path)).write({ sha256: id, chars: text.length, text });
        this.inFile.add(id);
      }
      this.ids.set(text, id);
    }
    return id ?? undefined;
  }

  close(): void {
    this.sink?.close();
  }
}

/**
 * The ids already in a texts.jsonl being appended to. A last line cut short by a kill is removed first: no
 * record can refer to it (its record would have been written after it), and appending after it would glue the
 * next text onto it.
 */
function storedIds(path: string): Set<string> {
  cutTornTail(path);
  const ids = new Set<string>();
  forEachJsonl<StoredTextLine>(path, (t) => ids.add(t.sha256), { accept: acceptLine, noun: 'stored text' });
  return ids;
}

function cutTornTail(path: string): void {
  const size = statSync(path).size;
  if (size === 0) return;
  const fd = openSync(path, 'r');
  let keep = 0;
  try {
    const buf = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0;) {
      const start = Math.max(0, end - buf.length);
      const n = readSync(fd, buf, 0, end - start, start);
      if (end === size && buf[n - 1] === 10) return;
      const nl = buf.subarray(0, n).lastIndexOf(10);
      if (nl >= 0) {
        keep = start + nl + 1;
        break;
      }
      end = start;
    }
  } finally {
    closeSync(fd);
  }
  truncateSync(path, keep);
}

function acceptLine(value: unknown, where: string): StoredTextLine {
  const t = value as StoredTextLine;
  if (t === null || typeof t !== 'object' || typeof t.sha256 !== 'string' || typeof t.text !== 'string') {
    throw new UserError(`${where}: not a stored text (expected {"sha256": ..., "chars": ..., "text": ...})`);
  }
  return t;
}

/** The reading side: the texts of a run folder by sha256, each checked against its sha256 when read. */
export class TextStore {
  constructor(
    readonly file: string,
    private readonly texts: ReadonlyMap<string, string | null>,
  ) {}
  /** The text; undefined when the store lacks it (or was read without it: readTextStore's `keep`). */
  get(id: string): string | undefined {
    return this.texts.get(id) ?? undefined;
  }
  /** Whether texts.jsonl holds the text (read in full or not). */
  has(id: string): boolean {
    return this.texts.has(id);
  }
  get size(): number {
    return this.texts.size;
  }
}

/**
 * A run folder's stored texts (empty when it has no texts.jsonl: an old-format folder, or a run whose records
 * refer to none). A line whose text does not match its sha256 is an error naming the file and line: a record
 * resolved with it would show a request that was never sent. `keep`: which texts to hold (default all); the
 * others are checked and known by id only, so a reader that needs a few texts (report's worst cases) holds a
 * bounded amount whatever the file holds.
 */
export function readTextStore(runDir: string, keep: (id: string) => boolean = () => true): TextStore {
  const file = join(runDir, TEXTS_FILE);
  const texts = new Map<string, string | null>();
  forEachJsonl<StoredTextLine>(
    file,
    (t) => {
      if (!texts.has(t.sha256)) texts.set(t.sha256, keep(t.sha256) ? t.text : null);
    },
    {
      accept: (value, where) => {
        const t = acceptLine(value, where);
        if (sha256(t.text) !== t.sha256)
          throw new UserError(`${where}: the stored text does not match its sha256 ${t.sha256}: the file was changed or damaged`);
        return t;
      },
      noun: 'stored text',
    },
  );
  return new TextStore(file, texts);
}
