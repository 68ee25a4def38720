/**
 * How every message shows a path: relative to the working folder when the path is inside it (short, and what
 * a person typed), absolute otherwise. `relative()` alone turned `--out /tmp/x` into `../../tmp/x`, correct but
 * unreadable; this is the one place that decides.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

export function displayPath(path: string, cwd = process.cwd()): string {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  if (rel === '') return '.';
  const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  return outside ? abs : rel;
}
