/**
 * A content-addressed cache of judge replies on disk: one small JSON file per request hash, under
 * `<cache dir>/judge/<first two hex digits>/<hash>.json`. A rerun of the same judge request (same rubric
 * version, model, messages and sampling) is answered from here, so judging is paid for once and replays
 * give the same scores. Files are written atomically (temp + rename); a corrupt one is treated as a miss.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactJsonText } from '../util/redact.js';

export interface CachedReply {
  key: string;
  text: string;
  model: string;
  created_at: string;
}

export class ResponseCache {
  constructor(readonly dir: string) {}

  #path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(key: string): CachedReply | undefined {
    try {
      const entry = JSON.parse(readFileSync(this.#path(key), 'utf8')) as CachedReply;
      return entry.key === key && typeof entry.text === 'string' ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  put(entry: CachedReply): void {
    const path = this.#path(entry.key);
    mkdirSync(join(this.dir, entry.key.slice(0, 2)), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, redactJsonText(JSON.stringify(entry)) + '\n');
    renameSync(tmp, path);
  }
}
