/**
 * Says, per target, how many answers held bytes that are not UTF-8: they are stored with U+FFFD in their place
 * (records' `invalid_utf8`), so their raw text is not byte for byte what the server sent, and a scorer saw the
 * replaced text. Pure over the summary; report.md and report.html print the same sentences.
 */
import type { Summary } from './summary.js';

export function invalidUtf8Notes(summary: Summary): string[] {
  return summary.targets.flatMap((t) =>
    t.invalid_utf8
      ? [
          `target ${t.name}: ${t.invalid_utf8.calls} of ${t.calls} answers held bytes that are not UTF-8 (${t.invalid_utf8.sequences} sequences), stored and scored as U+FFFD; those records carry invalid_utf8.`,
        ]
      : [],
  );
}
