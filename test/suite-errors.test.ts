// Malformed suites: each fixture must give exactly the expected problems, at the right file, line,
// column and JSON path, with a message that says what was expected and what was found.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../harness/builtin.js';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSuite, validateSuiteFile, type LoadSuiteOptions } from '../harness/suite/load.js';
import { UserError, type Problem } from '../harness/util/errors.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/suites/${name}`, import.meta.url));
const shown = (name: string) => relative(process.cwd(), fixture(name));
const KINDS = ['openai', 'baseline:reference', 'baseline:schema-faker', 'real:country-facts'];

interface Expected {
  /** Fixture the problem is in, when not the suite itself. */
  file?: string;
  line: number;
  column: number;
  path: string;
  /** Phrases the message must contain. */
  says: string[];
}

async function problemsOf(name: string, opts: LoadSuiteOptions = {}): Promise<{ err: UserError; problems: Problem[] }> {
  try {
    await loadSuite(fixture(name), { env: {}, knownTargetKinds: KINDS, ...opts });
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { err, problems: err.problems };
  }
  throw new Error(`${name} loaded without problems`);
}

function check(name: string, expected: Expected[], opts: LoadSuiteOptions = {}) {
  test(`invalid suite ${name}`, async () => {
    const { err, problems } = await problemsOf(name, opts);
    assert.is(err.exitCode, 2);
    assert.is(err.message, `suite ${shown(name)} is invalid (${expected.length} problem${expected.length === 1 ? '' : 's'})`);
    assert.is(problems.length, expected.length, err.render());
    expected.forEach((want, i) => {
      const got = problems[i];
      assert.is(got.file, shown(want.file ?? name), `problem ${i} file`);
      assert.is(`${got.line}:${got.column}`, `${want.line}:${want.column}`, `problem ${i} position: ${got.message}`);
      assert.is(got.path, want.path, `problem ${i} path`);
      for (const phrase of want.says) assert.ok(got.message.includes(phrase), `problem ${i}: "${got.message}" should say "${phrase}"`);
    });
    // Rendered for the terminal: one line per problem, no stack trace.
    const rendered = err.render();
    assert.is(rendered.split('\n').length, expected.length + 1);
    assert.not.match(rendered, /\n\s+at /);
  });
}

check('invalid/concurrency-word.yaml', [{ line: 13, column: 18, path: '/targets/1/concurrency', says: ['expected an integer >= 1, found "sixteen"'] }]);

check('invalid/unknown-top-key.yaml', [
  { line: 3, column: 1, path: '/seeed', says: ['unknown key "seeed"', 'did you mean "seed"', 'allowed keys: $schema, version, name'] },
]);

// Metric names are checked against the registry (core families plus registered task families).
check(
  'invalid/bad-metric.yaml',
  [{ line: 3, column: 19, path: '/metrics/1', says: ['unknown metric family vibes', 'known families: format, logic, semantic, judge, answer_recall'] }],
  { knownMetrics: ['format', 'logic', 'semantic', 'judge', 'answer_recall'] },
);

// A missing required key is placed at the object that lacks it.
check('invalid/openai-missing-model.yaml', [{ line: 9, column: 5, path: '/targets/0', says: ['missing required key "model"'] }]);

check('invalid/yaml-syntax.yaml', [{ line: 6, column: 1, path: '', says: ['YAML syntax error', 'Flow sequence'] }]);

check('invalid/syntax.json', [{ line: 4, column: 3, path: '', says: ['YAML syntax error', 'Missing ,'] }]);

check('invalid/duplicate-yaml-key.yaml', [{ line: 11, column: 1, path: '', says: ['Map keys must be unique'] }]);

check('invalid/duplicate-names.yaml', [
  { line: 5, column: 11, path: '/tools/1/name', says: ['duplicate tool name "echo"', `first used at ${shown('valid/tools/echo.yaml')}:2:7`] },
  { line: 15, column: 11, path: '/targets/1/name', says: ['duplicate target name "reference"', ':13:11'] },
]);

// The JSONata error is placed on the character where the expression breaks off (the closing quote).
check('invalid/bad-jsonata.yaml', [
  { line: 12, column: 42, path: '/tools/0/invariants/1/expr', says: ['not a valid JSONata expression', 'Unexpected end of expression', 'S0207'] },
]);

check('invalid/bad-json-schema.yaml', [
  { line: 9, column: 21, path: '/tools/0/parameters/properties/id/type', says: ['not a valid JSON Schema', 'one of "array", "boolean"', 'found "strng"'] },
  { line: 12, column: 7, path: '/tools/0/response_schema/requried', says: ['unknown JSON Schema keyword "requried"', 'did you mean "required"'] },
]);

// Compile-time failures carry no path from ajv: the loader finds the node they are about.
check('invalid/schema-compile-errors.yaml', [
  { line: 9, column: 39, path: '/tools/0/parameters/properties/when/format', says: ['not a usable JSON Schema: unknown format "nope"'] },
  { line: 13, column: 24, path: '/tools/0/response_schema/properties/items/$ref', says: ['$ref "#/$defs/missing" points at nothing'] },
  { line: 17, column: 40, path: '/tools/0/error_schema/properties/code/pattern', says: ['Invalid regular expression', 'Unterminated character class'] },
  { line: 21, column: 15, path: '/tools/0/invariants/1/name', says: ['duplicate invariant name "positive"', 'first used at line 19'] },
  // Mid-expression: the column is the start of the offending token inside the single-quoted string.
  { line: 22, column: 29, path: '/tools/0/invariants/1/expr', says: ['Syntax error: "foo"', 'at character 14 of the expression', 'S0201'] },
  {
    line: 26,
    column: 16,
    path: '/tools/1/parameters/$schema',
    says: ['read as JSON Schema draft 2020-12', 'found $schema "http://json-schema.org/draft-07/schema#"'],
  },
]);

check('invalid/literal-api-key.yaml', [{ line: 13, column: 5, path: '/targets/0/api_key', says: ['literal secret ("api_key")', 'api_key_env'] }]);

// Unknown or secret keys do not stop the section's other checks (URL, rubric file) from running.
check('invalid/secrets-and-judge.yaml', [
  { line: 12, column: 5, path: '/targets/0/token', says: ['literal secret ("token")', 'environment variable'] },
  { line: 14, column: 13, path: '/judge/base_url', says: ['expected an http:// or https:// URL, found "ftp://judge.example"'] },
  { line: 16, column: 3, path: '/judge/api_key', says: ['literal secret ("api_key")', 'api_key_env: JUDGE_API_KEY'] },
  { line: 17, column: 11, path: '/judge/rubric', says: ['rubric not found', 'nope-rubric.json'] },
]);

check('invalid/missing-files.yaml', [
  { line: 4, column: 11, path: '/tools/0/file', says: ['cannot read tool file', 'nope.yaml', 'no such file'] },
  { line: 7, column: 11, path: '/datasets/0/path', says: ['dataset file not found', 'nope.jsonl'] },
  { line: 13, column: 22, path: '/targets/0/prompt_template', says: ['prompt template not found', 'nope-prompt.yaml'] },
]);

check('invalid/judge-without-section.yaml', [{ line: 3, column: 10, path: '/metrics', says: ['metrics include judge', 'no `judge` section'] }]);

check('invalid/unknown-kind.yaml', [
  {
    line: 10,
    column: 11,
    path: '/targets/0/kind',
    says: [
      'unknown target kind baseline:refrence; known kinds: openai, baseline:reference, baseline:schema-faker, real:country-facts (did you mean baseline:reference?)',
    ],
  },
]);

check('invalid/version-number.yaml', [{ line: 1, column: 10, path: '/version', says: ['expected "1", found 1', 'quote it'] }]);

check('invalid/repeats-zero.json', [{ line: 4, column: 14, path: '/repeats', says: ['expected an integer >= 1, found 0'] }]);

// A problem inside a `file:` tool is reported in that file; a missing key at the object lacking it.
check('invalid/broken-tool-file.yaml', [
  { file: 'invalid/tools/broken-tool.yaml', line: 1, column: 1, path: '', says: ['missing required key "response_schema"'] },
  { file: 'invalid/tools/broken-tool.yaml', line: 4, column: 1, path: '/respones', says: ['unknown key "respones"', 'did you mean "response_schema"'] },
]);

check('invalid/root-list.yaml', [{ line: 1, column: 1, path: '', says: ['not a gtm-bench suite', 'its top level is a list, not a mapping of keys'] }]);

check('invalid/file-entry-extra-key.yaml', [
  { line: 5, column: 5, path: '/tools/0/name', says: ['unknown key "name"', 'allowed keys: file'] },
  { line: 9, column: 17, path: '/datasets/0/on_bad_row', says: ['expected one of "fail", "skip"', 'found "ignore"'] },
]);

check('invalid/bad-env-ref.yaml', [{ line: 12, column: 12, path: '/targets/0/model', says: ['expected ${NAME} or ${NAME:-default}', 'found "${TEST_MODEL"'] }]);

// base_url is checked once its variable is filled in; unset, the target is merely not configured.
check(
  'invalid/bad-base-url.yaml',
  [{ line: 11, column: 15, path: '/targets/0/base_url', says: ['expected an http:// or https:// URL, found "localhost:8000"', 'from "${TEST_URL}"'] }],
  { env: { TEST_URL: 'localhost:8000' } },
);

// A schema problem in one target does not stop (or misplace) the checks of the next.
check('invalid/second-target-url.yaml', [
  { line: 11, column: 18, path: '/targets/0/concurrency', says: ['expected an integer >= 1, found 0'] },
  { line: 14, column: 15, path: '/targets/1/base_url', says: ['expected an http:// or https:// URL, found "localhost:8000/v1"'] },
]);

test('bad-base-url.yaml with its variable unset loads, with the target not configured', async () => {
  const suite = await loadSuite(fixture('invalid/bad-base-url.yaml'), { env: {} });
  assert.is(suite.targets[0].not_configured, 'environment variable TEST_URL is not set');
});

test('unknown kinds are only checked when the caller knows the kinds', async () => {
  const suite = await loadSuite(fixture('invalid/unknown-kind.yaml'), { env: {} });
  assert.is(suite.targets[0].kind, 'baseline:refrence');
});

test('a missing suite file is a user error naming the file', async () => {
  const { err, problems } = await problemsOf('invalid/does-not-exist.yaml');
  assert.equal(
    problems.map((p) => [p.file, p.line]),
    [[shown('invalid/does-not-exist.yaml'), 0]],
  );
  assert.instance(err, UserError);
  assert.is(err.exitCode, 2);
  assert.match(err.render(), /^cannot read suite .*does-not-exist\.yaml\n  .*does-not-exist\.yaml: no such file$/);
});

test('validateSuiteFile returns the error instead of throwing', async () => {
  const bad = await validateSuiteFile(fixture('invalid/bad-metric.yaml'), { env: {} });
  assert.is(bad.ok, false);
  if (!bad.ok) assert.match(bad.error.render(), /bad-metric\.yaml:3:19: \/metrics\/1: unknown metric family vibes/);
  const good = await validateSuiteFile(fixture('valid/suite.yaml'), { env: {} });
  assert.is(good.ok, true);
  if (good.ok) assert.is(good.suite.name, 'fixture-valid');
});

test.run();
