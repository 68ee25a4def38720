// The optional suite sections are plug-ins: every one the composition root registers has its part in the
// published schema, every non-core key of the schema has a registered builder, and a section the entry point
// forgot to register is a loud harness error, never a silently dropped section.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../harness/builtin.js';
import { fileURLToPath } from 'node:url';
import { readSuite } from '../harness/suite/load.js';
import { suiteValidators } from '../harness/suite/schema-ajv.js';
import { registeredSections } from '../harness/suite/sections.js';
import { UserError } from '../harness/util/errors.js';

const CORE = ['$schema', 'version', 'name', 'description', 'seed', 'repeats', 'max_error_rate', 'limits', 'metrics', 'tools', 'datasets', 'targets'];
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

test('each registered section has a top-level key and a $defs part in suite.schema.json', () => {
  const { schema } = suiteValidators();
  const keys = registeredSections().map((s) => s.key);
  assert.equal([...keys].sort(), ['agent', 'curves', 'gates', 'judge', 'serve']);
  for (const s of registeredSections()) {
    assert.ok(s.key in schema.properties, `${s.key} is not a property of the suite schema`);
    assert.ok(s.schemaDef in schema.$defs, `${s.key}: no $defs/${s.schemaDef} in the suite schema`);
  }
});

test('every top-level schema key is either a core field or a registered section', () => {
  const keys = new Set(registeredSections().map((s) => s.key as string));
  const orphans = Object.keys(suiteValidators().schema.properties).filter((k) => !CORE.includes(k) && !keys.has(k));
  assert.equal(orphans, []);
});

test('a suite with a section but no registered builder for it is a harness error naming the section', () => {
  assert.throws(() => readSuite(fixture('suites/valid/judge.yaml'), { env: {}, sections: [] }), /suite section judge has no registered builder/);
});

test('sections are built through the registry: the judge section of a fixture comes back typed', () => {
  const suite = readSuite(fixture('suites/valid/judge.yaml'), { env: { TEST_JUDGE_URL: 'https://judge.example/v1' } });
  assert.is(suite.judge?.base_url, 'https://judge.example/v1');
});

test('target kinds declare their options: a bad real:kernel-eval option is reported at its file:line:column by validate', async () => {
  const { loadSuite } = await import('../harness/suite/load.js');
  const { targetKindsForSuite } = await import('../harness/targets/registry.js');
  let err: UserError | undefined;
  await loadSuite(fixture('suites/invalid/kernel-options.yaml'), { env: {}, ...targetKindsForSuite() }).catch((e) => (err = e));
  assert.instance(err, UserError);
  const lines = err!.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  assert.ok(
    lines.some((l) => l.startsWith('13:13 ') && /integer >= 1|at least 1|>= 1/.test(l)),
    lines.join('\n'),
  );
  assert.ok(
    lines.some((l) => l.startsWith('14:11 ') && /sm_80|pattern|match/.test(l)),
    lines.join('\n'),
  );
  assert.ok(
    lines.some((l) => l.startsWith('15:5 ') && /compile_timeout/.test(l)),
    lines.join('\n'),
  );
});
test.run();
