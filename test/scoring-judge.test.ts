import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify } from 'yaml';
import { checkRubric } from '../harness/scoring/judge-rubric.js';
import { buildJudgeMessages, loadRubric, scoreJudgeVerdict, type JudgeRubric } from '../harness/scoring/judge.js';
import { byMetric, call, searchSpec } from './fixtures/scoring/tools.js';

const RUBRIC_FILE = new URL('../harness/prompts/judge-rubric-v1.yaml', import.meta.url).pathname;
const rubric = loadRubric(RUBRIC_FILE);

test('the default rubric loads: id, version, 1..5 scale, three criteria, file hash', () => {
  assert.is(rubric.id, 'gtm-fidelity-judge');
  assert.is(rubric.version, '1');
  assert.equal(rubric.scale, { min: 1, max: 5 });
  assert.equal(
    rubric.criteria.map((c) => c.name),
    ['format', 'logic', 'semantic'],
  );
  assert.match(rubric.sha256, /^[0-9a-f]{64}$/);
});

test('rubric round trip: written as YAML, loaded back equal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gtm-rubric-'));
  try {
    const { file: _f, sha256: _h, ...plain } = rubric;
    const path = join(dir, 'r.yaml');
    writeFileSync(path, stringify(plain));
    const back = loadRubric(path);
    assert.equal({ ...back, file: undefined, sha256: undefined }, { ...plain, file: undefined, sha256: undefined });
    writeFileSync(path, stringify({ ...plain, user_template: 'x {{nope}}' }));
    assert.throws(() => loadRubric(path), /unknown placeholder \{\{nope\}\}/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rubric checks', () => {
  const { file: _f, sha256: _h, ...plain } = rubric;
  assert.is(checkRubric(plain), undefined);
  assert.match(checkRubric({ ...plain, scale: { min: 5, max: 1 } })!, /min < max/);
  assert.match(checkRubric({ ...plain, criteria: plain.criteria.slice(0, 2) })!, /format, logic and semantic/);
  assert.match(checkRubric({ ...plain, criteria: [...plain.criteria].reverse() })!, /criteria\[0\] must be named format/);
  assert.match(checkRubric([])!, /mapping/);
});

test('messages: system + user, every placeholder filled, the simulated text verbatim and not expanded', () => {
  const spec = searchSpec();
  const simulated = '```json\n{"query": "{{reference}}"}\n```';
  const msgs = buildJudgeMessages(rubric, spec, call({ query: 'cats', limit: 2 }, true), simulated, { error: { code: 'BAD_QUERY' } });
  assert.equal(
    msgs.map((m) => m.role),
    ['system', 'user'],
  );
  const [system, user] = msgs.map((m) => m.content);
  assert.not.match(system + user.replace(simulated, ''), /\{\{/);
  assert.ok(user.includes(simulated));
  assert.ok(user.includes('{"query":"cats","limit":2}'));
  assert.ok(user.includes('an INVALID call'));
  assert.ok(user.includes('"BAD_QUERY"'));
  assert.ok(system.includes('- semantic: '));
  assert.ok(system.includes('1 (worst) to 5 (best)'));
  const noRef = buildJudgeMessages(rubric, spec, call({ query: 'cats', limit: 2 }), '{}', undefined);
  assert.ok(noRef[1].content.includes('(no recorded output of the real tool for this call)'));
  assert.ok(noRef[1].content.includes('a valid call'));
});

test('verdicts: rescaled (n - 1) / 4, overall the mean; fenced, embedded and "4" accepted', () => {
  const s = byMetric(scoreJudgeVerdict('{"format": 5, "logic": 3, "semantic": 1, "rationale": "ok"}', rubric));
  assert.equal(
    ['judge.format', 'judge.logic', 'judge.semantic', 'judge.overall'].map((m) => s[m].value),
    [1, 0.5, 0, 0.5],
  );
  assert.equal(s['judge.overall'].reasons, ['ok']);
  assert.equal(s['judge.logic'].reasons, ['3 on 1..5']);
  const fenced = byMetric(scoreJudgeVerdict('```json\n{"format": 4, "logic": "4", "semantic": 2}\n```', rubric));
  assert.equal([fenced['judge.format'].value, fenced['judge.logic'].value, fenced['judge.semantic'].value], [0.75, 0.75, 0.25]);
  const prose = byMetric(scoreJudgeVerdict('Verdict: {"format": 2, "logic": 2, "semantic": 2}', rubric));
  assert.is(prose['judge.overall'].value, 0.25);
});

test('unparseable or out-of-scale verdicts: all four null with judge_unparseable', () => {
  const bad = [
    'I think it is good.',
    '{"format": 6, "logic": 3, "semantic": 3}',
    '{"format": 0, "logic": 3, "semantic": 3}',
    '{"format": 3, "logic": 3}',
    '{"format": "high", "logic": 3, "semantic": 3}',
    '[3, 3, 3]',
    '{"format": 3, "logic": 3, "semantic": ',
    '',
  ];
  for (const text of bad) {
    const scores = scoreJudgeVerdict(text, rubric as JudgeRubric);
    assert.is(scores.length, 4, text);
    for (const s of scores) {
      assert.is(s.value, null, text);
      assert.match(s.reasons[0], /^judge_unparseable: /);
    }
  }
});

test.run();
