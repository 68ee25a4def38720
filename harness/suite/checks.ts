/**
 * Suite-level checks the JSON Schema cannot express: unique names across lists (tools may come from
 * several files), files that must exist, the judge section that the judge metric needs, target kinds
 * the harness knows, and literal secrets among a registered target's options. All checks are defensive:
 * they run beside schema problems, on values that may have the wrong shape.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Problem } from '../util/errors.js';
import { didYouMean, secretKeyMessage, SECRET_KEY } from './describe.js';
import { joinPointer, positionOf, problemAt, type SourceFile } from './source.js';
import type { ToolSource } from './tool-checks.js';
import { metricFamily } from '../scoring/metric-registry.js';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

interface Named {
  name: string;
  src: SourceFile;
  pointer: string;
}

/** One problem per repeated name, at the repeat, naming where the first one is. */
export function duplicateNames(what: string, items: Named[]): Problem[] {
  const first = new Map<string, Named>();
  const problems: Problem[] = [];
  for (const item of items) {
    const earlier = first.get(item.name);
    if (!earlier) {
      first.set(item.name, item);
      continue;
    }
    const pos = positionOf(earlier.src, earlier.pointer + '/name');
    problems.push(
      problemAt(item.src, item.pointer + '/name', `duplicate ${what} name "${item.name}"; it is first used at ${pos.file}:${pos.line}:${pos.column}`),
    );
  }
  return problems;
}

function namedItems(src: SourceFile, list: unknown, base: string): Named[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, i) => (isObject(item) && typeof item.name === 'string' ? [{ name: item.name, src, pointer: joinPointer(base, i) }] : []));
}

/** Null when `rel` (relative to the suite's folder) names an existing file; otherwise why not. */
export function missingFile(suite: SourceFile, rel: string): string | null {
  const abs = resolve(dirname(suite.path), rel);
  try {
    return statSync(abs).isFile() ? null : `${abs} is not a file`;
  } catch {
    return `no such file: ${abs}`;
  }
}

export function checkSuite(src: SourceFile, raw: Record<string, unknown>, tools: ToolSource[], knownKinds?: string[], knownMetrics?: string[]): Problem[] {
  const problems: Problem[] = [];
  problems.push(
    ...duplicateNames(
      'tool',
      tools.filter((t) => typeof t.value.name === 'string').map((t) => ({ name: t.value.name as string, src: t.src, pointer: t.pointer })),
    ),
  );
  problems.push(...duplicateNames('dataset', namedItems(src, raw.datasets, '/datasets')));
  problems.push(...duplicateNames('target', namedItems(src, raw.targets, '/targets')));

  if (Array.isArray(raw.datasets)) {
    raw.datasets.forEach((d, i) => {
      if (!isObject(d) || typeof d.path !== 'string' || !d.path) return;
      const why = missingFile(src, d.path);
      if (why) problems.push(problemAt(src, `/datasets/${i}/path`, `dataset file not found (${why})`));
    });
  }

  if (knownMetrics && Array.isArray(raw.metrics)) {
    raw.metrics.forEach((m, i) => {
      if (typeof m !== 'string' || knownMetrics.includes(m)) return;
      const guess = didYouMean(m, knownMetrics);
      problems.push(
        problemAt(src, `/metrics/${i}`, `unknown metric family ${m}; known families: ${knownMetrics.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`),
      );
    });
  }

  // A family that needs a judge endpoint (the registry says which) needs the suite's judge section.
  const judged = Array.isArray(raw.metrics) ? raw.metrics.filter((m): m is string => typeof m === 'string' && metricFamily(m)?.needs.judge === true) : [];
  if (judged.length && raw.judge === undefined) {
    problems.push(problemAt(src, '/metrics', `metrics include ${judged.join(', ')}, but the suite has no \`judge\` section (base_url, model, rubric)`));
  }

  if (Array.isArray(raw.targets)) {
    raw.targets.forEach((t, i) => {
      if (!isObject(t) || typeof t.kind !== 'string' || t.kind === 'openai') return;
      const pointer = `/targets/${i}`;
      if (knownKinds && !knownKinds.includes(t.kind)) {
        const guess = didYouMean(t.kind, knownKinds);
        problems.push(
          problemAt(src, pointer + '/kind', `unknown target kind ${t.kind}; known kinds: ${knownKinds.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`),
        );
      }
      // A registered target's extra keys are options for its factory: none of them may be a literal secret.
      for (const key of Object.keys(t)) {
        if (SECRET_KEY.test(key))
          problems.push(
            problemAt(src, joinPointer(pointer, key), secretKeyMessage(key, 'an option of the target such as api_key_env, which its kind reads'), 'key'),
          );
      }
    });
  }
  return problems;
}
