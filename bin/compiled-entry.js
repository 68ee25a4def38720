// Decides whether the CLI may start from the compiled build: only when its stamp equals the fingerprint of the
// sources as they are now (see source-stamp.js). Otherwise it says why, and the caller runs the sources.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceStamp, STAMP_FILE } from './source-stamp.js';

/** `{ entry }` (a file path) when `root/outName` is a build of the current sources, else `{ reason }`. */
export function compiledEntry(root, outName = 'dist') {
  let built;
  try {
    built = JSON.parse(readFileSync(join(root, outName, STAMP_FILE), 'utf8')).stamp;
  } catch {
    return { reason: `${outName}/ has no build (run \`npm run build\`)` };
  }
  if (built !== sourceStamp(root)) return { reason: `${outName}/ is older than the sources (run \`npm run build\`)` };
  return { entry: join(root, outName, 'cli', 'main.js') };
}
