// Valid suites: YAML and JSON agree, defaults are filled, environment variables are interpolated,
// paths become absolute, and `file:` tools are read and recorded in included_files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../harness/builtin.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSuite, readSuite } from '../harness/suite/load.js';
import { interpolate, notConfiguredReason } from '../harness/suite/interpolate.js';
import { isOpenAITarget, type LoadedSuite, type OpenAITargetSpec, type RegisteredTargetSpec } from '../harness/suite/types.js';
import { sha256 } from '../harness/util/hash.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const ENV = { TEST_GTM_URL: 'http://127.0.0.1:8000/v1' };

function openai(suite: LoadedSuite, name: string): OpenAITargetSpec {
  const t = suite.targets.find((x) => x.name === name);
  if (!t || !isOpenAITarget(t)) throw new Error(`no openai target ${name}`);
  return t;
}

/** The suite without what legitimately differs between two files: their names, bytes and positions. */
function comparable(suite: LoadedSuite): unknown {
  const { file: _f, hash: _h, ...rest } = suite;
  return JSON.parse(JSON.stringify(rest, (key, value) => (key === 'at' ? undefined : value)));
}

test('the same suite as YAML and as JSON loads to equal values', async () => {
  const fromYaml = await loadSuite(fixture('suites/valid/suite.yaml'), { env: ENV });
  const fromJson = await loadSuite(fixture('suites/valid/suite.json'), { env: ENV });
  assert.is(fromYaml.name, 'fixture-valid');
  assert.is(fromJson.file, fixture('suites/valid/suite.json'));
  assert.is.not(fromYaml.hash, fromJson.hash);
  assert.equal(comparable(fromJson), comparable(fromYaml));
});

test('defaults are filled in', async () => {
  const suite = await loadSuite(fixture('suites/valid/suite.yaml'), { env: ENV });
  assert.is(suite.seed, 0);
  assert.is(suite.repeats, 1);
  assert.is(suite.max_error_rate, 0);
  assert.equal(suite.metrics, ['format', 'logic', 'semantic']);
  assert.is(suite.judge, undefined);
  assert.is(suite.datasets[0].on_bad_row, 'fail');
  const [reference, faker] = suite.targets as RegisteredTargetSpec[];
  assert.equal([reference.concurrency, faker.concurrency], [64, 4]);
  assert.equal(reference.options, {});
  assert.equal(faker.options, { flavour: 'wild' }); // unknown keys of a registered target are its options
  const gtm = openai(suite, 'gtm');
  assert.equal([gtm.api, gtm.stream, gtm.timeout_ms, gtm.retries, gtm.concurrency, gtm.api_key_env], ['chat', false, 60000, 3, 16, 'TEST_GTM_KEY']);
  assert.equal(gtm.sampling, { temperature: 0, top_p: 1, max_tokens: 256, seed: 7, stop: ['\n\n'] });
  const [lookup, echo] = suite.tools;
  assert.equal(
    lookup.invariants.map((i) => [i.name, i.applies_to]),
    [
      ['at_most_limit', 'result'],
      ['error_has_code', 'error'],
    ],
  );
  assert.equal(lookup.semantic, { deterministic: ['code', 'results[*].id'], ignore: ['generated_at'], numeric_tolerance: 0.5 });
  assert.equal(echo.invariants, []);
  assert.equal(echo.semantic, { deterministic: [], ignore: [], numeric_tolerance: 1 });
  assert.is(echo.error_schema, undefined);
  assert.equal(lookup.error_schema, {
    type: 'object',
    properties: { error: { type: 'object', properties: { code: { type: 'string' } } } },
    required: ['error'],
  });
});

test('explicit top-level values and a judge section are kept, with judge defaults', async () => {
  const suite = await loadSuite(fixture('suites/valid/judge.yaml'), { env: { TEST_JUDGE_URL: 'https://judge.example/v1' } });
  assert.equal([suite.seed, suite.repeats, suite.max_error_rate], [99, 3, 0.25]);
  assert.equal(suite.metrics, ['format', 'judge']);
  assert.equal(suite.judge, {
    base_url: 'https://judge.example/v1',
    model: 'judge-large',
    api_key_env: 'TEST_JUDGE_KEY',
    rubric: fixture('suites/rubric.json'),
    sampling: { temperature: 0.5 },
    timeout_ms: 60000,
    retries: 0,
    concurrency: 16,
  });
});

test('environment: set, unset (not configured, literal text kept), defaults, empty counts as unset', async () => {
  const set = openai(await loadSuite(fixture('suites/valid/suite.yaml'), { env: { ...ENV, TEST_GTM_MODEL: 'gtm-7b' } }), 'gtm');
  assert.equal([set.base_url, set.model, set.not_configured], ['http://127.0.0.1:8000/v1', 'gtm-7b', undefined]);

  const defaulted = openai(await loadSuite(fixture('suites/valid/suite.yaml'), { env: ENV }), 'gtm');
  assert.is(defaulted.model, 'gtm-small');

  const unset = await loadSuite(fixture('suites/valid/suite.yaml'), { env: { TEST_GTM_URL: '' } });
  const gtm = openai(unset, 'gtm');
  assert.is(gtm.not_configured, 'environment variable TEST_GTM_URL is not set');
  assert.is(gtm.base_url, '${TEST_GTM_URL}');
  assert.is(gtm.model, 'gtm-small');
  assert.is(unset.targets[0].not_configured, undefined); // other targets are unaffected

  const judge = await loadSuite(fixture('suites/valid/judge.yaml'), { env: { TEST_FAKER_MODE: 'tame' } });
  assert.is(judge.judge!.not_configured, 'environment variable TEST_JUDGE_URL is not set');
  assert.is(judge.judge!.base_url, '${TEST_JUDGE_URL}');
  // Registered targets' options are interpolated too; $${ writes a literal ${.
  assert.equal((judge.targets[0] as RegisteredTargetSpec).options, { mode: 'tame', note: 'costs ${HOME} nothing' });
});

test('process.env is the default environment', async () => {
  process.env.TEST_GTM_URL = 'https://from-process.example/v1';
  try {
    const suite = await loadSuite(fixture('suites/valid/suite.yaml'));
    assert.is(openai(suite, 'gtm').base_url, 'https://from-process.example/v1');
  } finally {
    delete process.env.TEST_GTM_URL;
  }
});

test('interpolate() reports missing variables in order and leaves unresolved strings whole', () => {
  const r = interpolate({ a: 'x-${A}-${B:-b}', list: ['${C}', '${A}'], n: 3 }, { B: '' });
  assert.equal(r.value, { a: 'x-${A}-${B:-b}', list: ['${C}', '${A}'], n: 3 });
  assert.equal(r.missing, ['A', 'C']);
  assert.equal([...r.unresolved], ['/a', '/list/0', '/list/1']);
  assert.is(notConfiguredReason(r.missing), 'environment variables A, C are not set');
  const ok = interpolate({ a: 'x-${A}-${B:-b}', e: '${E:-}' }, { A: '1' });
  assert.equal(ok.value, { a: 'x-1-b', e: '' });
  assert.equal(ok.missing, []);
});

test('relative paths become absolute, against the suite file folder', async () => {
  const suite = await loadSuite(fixture('suites/valid/suite.yaml'), { env: ENV });
  assert.is(suite.file, fixture('suites/valid/suite.yaml'));
  assert.is(suite.datasets[0].path, fixture('datasets/valid.jsonl'));
  assert.is(openai(suite, 'gtm').prompt_template, fixture('suites/prompt.json'));
  // A relative suite path given by the user works the same.
  const relativeLoad = readSuite('test/fixtures/suites/valid/suite.yaml', { env: ENV });
  assert.is(relativeLoad.datasets[0].path, fixture('datasets/valid.jsonl'));
});

test('file: tool entries are read, placed, and hashed into included_files', async () => {
  const suite = await loadSuite(fixture('suites/valid/suite.yaml'), { env: ENV });
  assert.equal(
    suite.tools.map((t) => t.name),
    ['lookup', 'echo'],
  );
  const echo = suite.tools[1];
  assert.is(echo.description, 'Returns its text argument unchanged.');
  assert.equal(echo.parameters, { type: 'object', properties: { text: { type: 'string', minLength: 1 } }, required: ['text'], additionalProperties: false });
  assert.equal(echo.at, { file: fixture('suites/valid/tools/echo.yaml'), line: 2, column: 1 });
  assert.equal(suite.tools[0].at, { file: fixture('suites/valid/suite.yaml'), line: 6, column: 5 });
  assert.equal(suite.included_files, { 'tools/echo.yaml': sha256(readFileSync(fixture('suites/valid/tools/echo.yaml'))) });
});

test('hashes, calls in file order with their source lines', async () => {
  const suite = await loadSuite(fixture('suites/valid/suite.yaml'), { env: ENV });
  assert.is(suite.hash, sha256(readFileSync(fixture('suites/valid/suite.yaml'))));
  assert.equal(suite.dataset_hashes, { calls: sha256(readFileSync(fixture('datasets/valid.jsonl'))) });
  assert.equal(
    suite.calls.map((c) => [c.id, c.source.line]),
    [
      ['lookup-1', 1],
      ['echo-1', 2],
      ['lookup-bad', 4],
    ],
  );
  assert.equal(suite.calls[0], {
    id: 'lookup-1',
    tool: 'lookup',
    arguments: { id: 'item-1', limit: 2 },
    reference: { results: [{ id: 'item-1', score: 0.9 }] },
    tags: ['easy'],
    source: { dataset: 'calls', line: 1 },
  });
  assert.is(suite.calls[2].expect_error, true);
  assert.equal(suite.skipped_rows, []);
});

test('the shipped default suite loads, with its model target not configured without GTM_*', async () => {
  const suite = await loadSuite(fileURLToPath(new URL('../suites/default.yaml', import.meta.url)), {
    env: {},
    knownTargetKinds: ['openai', 'baseline:reference', 'baseline:schema-faker', 'real:country-facts'],
  });
  assert.is(suite.name, 'default');
  assert.ok(suite.tools.length >= 1 && suite.calls.length >= 1);
  assert.is(Object.keys(suite.included_files ?? {}).length, suite.tools.length);
  const gtm = suite.targets.find(isOpenAITarget);
  assert.match(gtm?.not_configured ?? '', /^environment variables? GTM_/);
});

test('the published schema: draft 2020-12, its $id, $schema allowed, a description on every property', () => {
  const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../harness/suite/suite.schema.json', import.meta.url)), 'utf8'));
  assert.is(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.is(schema.$id, 'https://gtm-bench.dev/schemas/suite.schema.json');
  assert.is(schema.properties.$schema.type, 'string');
  const undescribed: string[] = [];
  const refDescribed = (s: any) => typeof s.$ref === 'string' && schema.$defs[s.$ref.replace('#/$defs/', '')]?.description;
  const walk = (node: any, at: string) => {
    if (!node || typeof node !== 'object') return;
    for (const [name, prop] of Object.entries<any>(node.properties ?? {})) {
      if (!prop.description && !refDescribed(prop)) undescribed.push(`${at}/${name}`);
    }
    // `if` subschemas are conditions (kind: openai?), not properties a user writes.
    for (const [k, v] of Object.entries(node)) if (k !== 'if') walk(v, `${at}/${k}`);
  };
  walk(schema, '#');
  assert.equal(undescribed, []);
});

test.run();
