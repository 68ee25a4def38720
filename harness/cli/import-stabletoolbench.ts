/**
 * `gtm-bench import stabletoolbench FILE --out DIR [--split NAME]`: a StableToolBench / MirrorAPI evaluation
 * file ({prompt, predict, label} per line) as DIR/calls.jsonl (the real responses as references),
 * DIR/predictions.jsonl (the simulator's answers, {id, raw}) and DIR/suite.yaml (one tool per API, preset
 * stabletoolbench, targets reference and predictions). `gtm-bench run DIR/suite.yaml` then scores them.
 * Rows left out are printed with their line and why.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import { importStableToolBench } from '../datasets/stabletoolbench/import.js';
import { UserError } from '../util/errors.js';
import { notJsonLines } from '../util/foreign-file.js';

export interface ImportStableToolBenchFlags {
  out: string;
  split?: string;
}

export async function importStableToolBenchCommand(file: string, flags: ImportStableToolBenchFlags): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new UserError(`${file}: cannot read: ${(err as Error).message}`);
  }
  // Its skipped-row reasons quote JSON.parse's message (a piece of the line): only for a file that is JSON lines.
  const foreign = notJsonLines(bytes);
  if (foreign) throw new UserError(`${file}: not a JSONL file: ${foreign}`);
  const text = bytes.toString('utf8');
  const split =
    flags.split ??
    basename(file)
      .replace(/\.jsonl?$/, '')
      .replace(/[^A-Za-z0-9_-]+/g, '_');
  const r = importStableToolBench(text, split);
  if (r.calls.length === 0) throw new UserError(`${file}: no row could be imported${r.skipped.length ? ` (${r.skipped.slice(0, 3).join('; ')})` : ''}`);
  mkdirSync(flags.out, { recursive: true });
  const lines = (rows: unknown[]) => rows.map((x) => JSON.stringify(x)).join('\n') + '\n';
  writeFileSync(join(flags.out, 'calls.jsonl'), lines(r.calls));
  writeFileSync(join(flags.out, 'predictions.jsonl'), lines(r.predictions));
  const suite = {
    version: '1',
    name: `stabletoolbench-${split}`,
    description: `Imported from ${basename(file)} by gtm-bench import stabletoolbench: the real responses as references, the simulator's answers as predictions.`,
    metrics: ['format', 'logic', 'semantic'],
    tools: r.tools.map((t) => ({
      name: t.name,
      description: t.description,
      parameters: { type: 'object' },
      response_schema: { type: 'object', required: ['error', 'response'], properties: { error: { type: 'string' }, response: {} } },
      preset: 'stabletoolbench',
    })),
    datasets: [{ name: split, path: 'calls.jsonl' }],
    targets: [
      { name: 'reference', kind: 'baseline:reference' },
      { name: 'predictions', kind: 'predictions', file: 'predictions.jsonl' },
    ],
  };
  writeFileSync(join(flags.out, 'suite.yaml'), stringify(suite, { lineWidth: 0 }));
  const out = [
    `${file}: ${r.calls.length} call(s) of ${r.tools.length} API(s) imported (${r.calls.filter((c) => c.expect_error).length} with a real error), ${r.skipped.length} row(s) left out`,
    ...r.skipped.map((s) => `  ${s}`),
    `wrote ${join(flags.out, 'suite.yaml')}, calls.jsonl, predictions.jsonl; score with: gtm-bench run ${join(flags.out, 'suite.yaml')}`,
  ];
  process.stdout.write(out.join('\n') + '\n');
}
