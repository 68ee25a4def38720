/**
 * The `reference` baseline answers every call with the real tool's recorded output, so on the metrics that
 * compare an answer with the tool's own spec and data (format.*, logic.*, semantic.*) it must score 1.0
 * (0 on lower-is-better rates such as logic.false_refusal). When it does not, the suite's specs disagree
 * with its own real data (a schema too strict, an invariant the real tool breaks, a refusal predicate that
 * calls real answers refusals), and every simulator's score on that metric is off by as much. Pure: lines
 * from the records and the manifest's targets.
 */
import { isLowerBetter } from '../scoring/metric-registry.js';
import type { RunRecord } from '../records/types.js';

const CHECKED = /^(format|logic|semantic)\./;
const REFERENCE_KIND = 'baseline:reference';

/** The check as a fold, for a records file streamed one record at a time. */
export class ReferenceCheck {
  private readonly names: Set<string>;
  private readonly off = new Map<string, { n: number; bad: number; example: string }>();

  constructor(targets: readonly { name: string; kind: string }[]) {
    this.names = new Set(targets.filter((t) => t.kind === REFERENCE_KIND).map((t) => t.name));
  }

  /** Whether the run has a reference target at all (else there is nothing to read). */
  get applies(): boolean {
    return this.names.size > 0;
  }

  add(r: RunRecord): void {
    if (!this.names.has(r.target)) return;
    for (const [metric, s] of Object.entries(r.scores)) {
      if (!CHECKED.test(metric) || s.value === null) continue;
      const m = this.off.get(metric) ?? { n: 0, bad: 0, example: '' };
      m.n++;
      const perfect = isLowerBetter(metric) ? 0 : 1;
      if (s.value !== perfect) {
        if (m.bad === 0) m.example = `call ${r.call_id} scored ${round(s.value)}${s.reasons[0] ? ` (${s.reasons[0]})` : ''}`;
        m.bad++;
      }
      this.off.set(metric, m);
    }
  }

  lines(): string[] {
    const out: string[] = [];
    for (const [metric, m] of this.off) {
      if (m.bad === 0) continue;
      const want = isLowerBetter(metric) ? '0' : '1.0';
      out.push(
        `warning: the reference baseline scores ${metric} below its perfect ${want} on ${m.bad} of ${m.n} calls, e.g. ${m.example}: the suite's specs disagree with its own real data`,
      );
    }
    return out;
  }
}

export function referenceBaselineWarnings(records: readonly RunRecord[], targets: readonly { name: string; kind: string }[]): string[] {
  const check = new ReferenceCheck(targets);
  for (const r of records) check.add(r);
  return check.lines();
}

function round(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}
