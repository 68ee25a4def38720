/**
 * `gtm-bench suites`: the suites shipped under suites/ (and suites/examples/), one line each: the path to give
 * to `run`, and the suite's own description. Read with a plain YAML parse, not the full loader: a listing must
 * not fail because one suite's model endpoint is not configured here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { HARNESS_ROOT } from '../records/manifest.js';

export function shippedSuites(root = join(HARNESS_ROOT, 'suites')): { path: string; name: string; description: string }[] {
  const out: { path: string; name: string; description: string }[] = [];
  for (const sub of ['', 'examples']) {
    let names: string[];
    try {
      names = readdirSync(join(root, sub))
        .filter((n) => /\.ya?ml$/.test(n))
        .sort();
    } catch {
      continue;
    }
    for (const n of names) {
      const file = join(root, sub, n);
      let doc: Record<string, unknown> = {};
      try {
        doc = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
      } catch (err) {
        doc = { description: `(unreadable: ${(err as Error).message.split('\n')[0]})` };
      }
      out.push({ path: relative(HARNESS_ROOT, file), name: String(doc.name ?? n), description: String(doc.description ?? '(no description)') });
    }
  }
  return out;
}

export async function suitesCommand(): Promise<void> {
  const list = shippedSuites();
  const width = Math.max(...list.map((s) => s.path.length));
  for (const s of list) process.stdout.write(`${s.path.padEnd(width)}  ${s.description.replace(/\s+/g, ' ').trim()}\n`);
  process.stdout.write(`${list.length} suites; run one with: gtm-bench run PATH (gtm-bench init DIR writes a starter suite of your own)\n`);
}
