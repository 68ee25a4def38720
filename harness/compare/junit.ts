/**
 * The gates as JUnit XML (pure), the format CI dashboards (GitHub, GitLab, Jenkins) read: one testsuite per
 * target pair, one testcase per gated metric, a <failure> for each that regressed or could not be checked,
 * and one failing testcase per gate problem (a gated target that did not run).
 */
import type { Comparison } from './compare.js';

function xml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

const fmt = (x: number | null) => (x === null ? 'n/a' : String(Number(x.toPrecision(6))));

export function renderJUnit(c: Comparison, name: string): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const { pair } of c.pairs) {
    const gated = c.metrics.filter((m) => m.pair === pair && m.gate.gated);
    const cases = gated.map((m) => {
      const detail = `B - A = ${fmt(m.diff.mean)} [${fmt(m.diff.ci_low)}, ${fmt(m.diff.ci_high)}] over ${m.n_pairs} paired calls; A ${fmt(m.mean_a)}, B ${fmt(m.mean_b)}; min_delta ${m.gate.min_delta}, max_regression ${m.gate.max_regression}; ${m.outcome.verdict}: ${m.outcome.reason}`;
      const body = m.outcome.failed
        ? `<failure message="${xml(m.outcome.reason)}" type="${m.outcome.verdict === 'worse' ? 'regression' : 'unchecked'}">${xml(detail)}</failure>`
        : `<system-out>${xml(detail)}</system-out>`;
      return `    <testcase classname="${xml(`gtm-bench.${pair.b}`)}" name="${xml(m.metric)}" time="0">${body}</testcase>`;
    });
    const f = gated.filter((m) => m.outcome.failed).length;
    tests += gated.length;
    failures += f;
    const label = pair.a === pair.b ? pair.a : `${pair.a} vs ${pair.b}`;
    suites.push(
      `  <testsuite name="${xml(`${name}: ${label}`)}" tests="${gated.length}" failures="${f}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  if (c.problems.length) {
    const cases = c.problems.map(
      (p, i) =>
        `    <testcase classname="gtm-bench.gates" name="gate problem ${i + 1}" time="0"><failure message="${xml(p)}" type="unchecked">${xml(p)}</failure></testcase>`,
    );
    tests += c.problems.length;
    failures += c.problems.length;
    suites.push(
      `  <testsuite name="${xml(`${name}: gate problems`)}" tests="${c.problems.length}" failures="${c.problems.length}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(name)}" tests="${tests}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}
