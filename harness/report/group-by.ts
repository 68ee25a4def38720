/**
 * Which group a call falls in for `--group-by FIELD` (pure). A field is one a record carries from its dataset
 * row: `dataset`, `tool`, `expect_error`, `tag` (each of the row's tags is a group), or a tag key: rows tagged
 * `level:2` fall in group `2` of `--group-by level`. A call without the field falls in `(none)` and a call with
 * two tags of one key in both groups, so no call leaves a breakdown unseen (the report says so).
 */
import { UserError } from '../util/errors.js';

export const RECORD_GROUP_FIELDS = ['dataset', 'tool', 'expect_error', 'tag'] as const;

/** The group name of calls that lack the field. */
export const NO_GROUP = '(none)';

/** What a record (or a dataset row) carries that a call can be grouped by. */
export interface Groupable {
  dataset: string;
  tool: string;
  expect_error?: boolean;
  tags?: readonly string[];
}

export function groupValues(row: Groupable, field: string): string[] {
  switch (field) {
    case 'dataset':
      return [row.dataset];
    case 'tool':
      return [row.tool];
    case 'expect_error':
      return [String(row.expect_error === true)];
    case 'tag':
      return row.tags?.length ? [...new Set(row.tags)] : [NO_GROUP];
  }
  const prefix = field + ':';
  const values = [...new Set((row.tags ?? []).filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length)))];
  return values.length ? values : [NO_GROUP];
}

/** Tag keys (the part before the first colon) that the rows use. */
function tagKeys(rows: Iterable<Groupable>): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const t of r.tags ?? []) if (t.indexOf(':') > 0) keys.add(t.slice(0, t.indexOf(':')));
  return [...keys].sort();
}

/**
 * Checks `--group-by` fields against the rows they will group: a field no row carries would give one
 * `(none)` group, which is a typo far more often than a question. Throws a UserError (exit 2) naming the
 * field and every field these rows can be grouped by.
 */
export function checkGroupBy(fields: readonly string[], rows: Iterable<Groupable>): void {
  const keys = tagKeys(rows);
  for (const field of fields) {
    if ((RECORD_GROUP_FIELDS as readonly string[]).includes(field) || keys.includes(field)) continue;
    const known = [...RECORD_GROUP_FIELDS, ...keys.map((k) => `${k} (tags ${k}:...)`)].join(', ');
    throw new UserError(`--group-by ${field}: no call has a field or tag ${field}${field ? ':<value>' : ''}; calls here can be grouped by ${known}`);
  }
}
