/**
 * How a report says which calls --limit kept: a stratified sample (per tool, valid and invalid calls in
 * proportion) since --limit became one, the first N with --limit-mode first or in runs made before it.
 * report.md and report.html both said "the first N calls" of every limited run.
 */
import type { Manifest } from '../records/manifest.js';

export function limitText(plan: Pick<Manifest['plan'], 'limit' | 'limit_mode'>): string {
  if (plan.limit === null) return '';
  return plan.limit_mode === 'stratified'
    ? `limited to ${plan.limit} calls, a sample stratified by tool and by valid/invalid call`
    : `limited to the first ${plan.limit} calls`;
}
