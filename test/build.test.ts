/**
 * The compiled build (bin/build.js) and the rule that keeps a stale one from ever running: the CLI starts from a
 * build only when the build's stamp equals the fingerprint of the sources now (bin/compiled-entry.js).
 * The build goes to its own folder under the root, not dist/, so this test neither needs nor disturbs a dist/.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { INSTALLED_PACKAGES, sourceStamp, STAMP_FILE } from '../bin/source-stamp.js';
import { compiledEntry } from '../bin/compiled-entry.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `.build-test-${process.pid}`;
const env = { PATH: process.env.PATH ?? '', CI: 'true' };
const node = (args: string[], extra: Record<string, string> = {}) =>
  spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...env, ...extra }, timeout: 120_000 });

test.after(() => rmSync(join(ROOT, OUT), { recursive: true, force: true }));

test('the build compiles every source file and stamps the fingerprint of exactly those sources', () => {
  const r = node(['bin/build.js', '--out', OUT]);
  assert.is(r.status, 0, r.stderr);
  const stamp = JSON.parse(readFileSync(join(ROOT, OUT, STAMP_FILE), 'utf8'));
  assert.is(stamp.stamp, sourceStamp(ROOT));
  const chosen = compiledEntry(ROOT, OUT);
  assert.is(chosen.entry, join(ROOT, OUT, 'cli', 'main.js'));
});

test('the compiled CLI says it is the compiled build, and validates exactly as the sources do', () => {
  const version = node([join(ROOT, OUT, 'cli', 'main.js'), '--version']);
  assert.is(version.status, 0, version.stderr);
  assert.match(version.stdout, new RegExp(`^\\d+\\.\\d+\\.\\d+ \\(compiled build, sources ${sourceStamp(ROOT).slice(0, 12)}; node v`));
  const compiled = node([join(ROOT, OUT, 'cli', 'main.js'), 'validate', 'suites/default.yaml']);
  const source = node(['bin/gtm-bench.js', 'validate', 'suites/default.yaml'], { GTM_BENCH_FROM_SOURCE: '1' });
  assert.is(compiled.status, 0, compiled.stderr);
  assert.is(compiled.status, source.status);
  assert.is(compiled.stdout, source.stdout);
  assert.match(compiled.stdout, /valid: 3 tools/);
  const fromSource = node(['bin/gtm-bench.js', '--version'], { GTM_BENCH_FROM_SOURCE: '1' });
  assert.match(fromSource.stdout, /\(TypeScript sources through tsx; node v/);
});

test('the compiled build validates suites with precompiled schema validators, and rejects bad suites exactly as the sources do', () => {
  // bin/build.js writes ajv's standalone code for suite.schema.json (suite/schema-ajv.ts); these fixtures fail the
  // schema itself (the suite validator) or a tool file's (the tool validator), so both precompiled functions run.
  // It also writes the draft 2020-12 meta-schema's validators the tool-schema instances use: the last two
  // fixtures hold tool schemas that the meta-schema rejects, and ones that pass it but do not compile.
  assert.ok(existsSync(join(ROOT, OUT, 'suite', 'suite-schema-validators.cjs')));
  assert.ok(existsSync(join(ROOT, OUT, 'suite', 'tool-schema-meta-validator.cjs')));
  assert.ok(existsSync(join(ROOT, OUT, 'suite', 'scoring-schema-meta-validator.cjs')));
  for (const f of [
    'concurrency-word.yaml',
    'unknown-top-key.yaml',
    'repeats-zero.json',
    'file-entry-extra-key.yaml',
    'version-number.yaml',
    'broken-tool-file.yaml',
    'bad-json-schema.yaml',
    'schema-compile-errors.yaml',
  ]) {
    const file = join('test', 'fixtures', 'suites', 'invalid', f);
    const compiled = node([join(ROOT, OUT, 'cli', 'main.js'), 'validate', file]);
    const source = node(['bin/gtm-bench.js', 'validate', file], { GTM_BENCH_FROM_SOURCE: '1' });
    assert.is(compiled.status, 2, `${f}: ${compiled.stderr}`);
    assert.is(compiled.status, source.status, f);
    assert.is(compiled.stderr, source.stderr, f);
    assert.is(compiled.stdout, source.stdout, f);
  }
});

test('the compiled files import the bundled packages from vendor/, never by name', () => {
  const names = ['vega', 'vega-lite', 'ajv/dist/2020.js', 'ajv/dist/standalone/index.js', 'ajv-formats', 'yaml', 'cli-table3', 'jsonata', 'commander'];
  for (const name of names) assert.ok(existsSync(join(ROOT, OUT, 'vendor', `${name.replace(/\.js$/, '').replace(/[^a-zA-Z0-9-]/g, '_')}.js`)), name);
  const compiled = (readdirSync(join(ROOT, OUT), { recursive: true }) as string[]).filter((f) => f.endsWith('.js') && !f.startsWith('vendor'));
  assert.ok(compiled.length > 300);
  for (const f of compiled) {
    const text = readFileSync(join(ROOT, OUT, f), 'utf8');
    for (const name of names) {
      assert.not.ok(text.includes(`from "${name}"`) || text.includes(`import("${name}")`), `${f} imports ${name} by name`);
    }
  }
  assert.match(readFileSync(join(ROOT, OUT, 'suite', 'source.js'), 'utf8'), /from "\.\.\/vendor\/yaml\.js"/);
});

test('the compiled build writes the same report files as the sources (charts drawn by its vega bundle)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gtm-build-report-'));
  try {
    // Three targets, three tools: the fidelity, per-tool and latency charts. The run itself is the compiled CLI's;
    // `report` then rewrites each copy's report files from the same records, one copy per way of starting.
    const runArgs = ['run', 'suites/default.yaml', '--target', 'reference', '--target', 'schema-faker', '--target', 'real', '--limit', '6', '--quiet', '--out'];
    const run = node([join(ROOT, OUT, 'cli', 'main.js'), ...runArgs, join(tmp, 'run')]);
    assert.is(run.status, 0, run.stderr);
    cpSync(join(tmp, 'run'), join(tmp, 'compiled'), { recursive: true });
    cpSync(join(tmp, 'run'), join(tmp, 'source'), { recursive: true });
    const compiled = node([join(ROOT, OUT, 'cli', 'main.js'), 'report', join(tmp, 'compiled')]);
    const source = node(['bin/gtm-bench.js', 'report', join(tmp, 'source')], { GTM_BENCH_FROM_SOURCE: '1' });
    assert.is(compiled.status, 0, compiled.stderr);
    assert.is(source.status, 0, source.stderr);
    // The terminal table (cli-table3, bundled too) and the lines around it.
    assert.is(compiled.stdout.replaceAll(join(tmp, 'compiled'), 'RUN'), source.stdout.replaceAll(join(tmp, 'source'), 'RUN'));
    assert.match(compiled.stdout, /┌/);
    const files = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => statSync(join(dir, f)).isFile()).sort();
    assert.equal(files(join(tmp, 'compiled')), files(join(tmp, 'source')));
    for (const f of files(join(tmp, 'compiled'))) {
      assert.ok(readFileSync(join(tmp, 'compiled', f)).equals(readFileSync(join(tmp, 'source', f))), `${f} differs`);
    }
    for (const chart of ['fidelity', 'per-tool', 'latency']) {
      assert.ok(existsSync(join(tmp, 'compiled', 'report-data', `${chart}.vl.json`)), `${chart}: no chart drawn`);
    }
    assert.is((readFileSync(join(tmp, 'compiled', 'report.html'), 'utf8').match(/<svg/g) ?? []).length, 3);
    // The same run from the sources scores every call alike (invariants run on the build's bundled jsonata).
    const fromSource = node(['bin/gtm-bench.js', ...runArgs, join(tmp, 'run-source')], { GTM_BENCH_FROM_SOURCE: '1' });
    assert.is(fromSource.status, 0, fromSource.stderr);
    const scores = (dir: string) =>
      readFileSync(join(dir, 'records.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { item_id: string; scores: unknown; parse: unknown })
        .map((r) => [r.item_id, r.parse, r.scores])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const compiledScores = scores(join(tmp, 'run'));
    assert.is(compiledScores.length, 18);
    assert.equal(compiledScores, scores(join(tmp, 'run-source')));
    assert.ok(JSON.stringify(compiledScores).includes('logic.invariants'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("the build's precompiled meta-schema validators check tool schemas exactly as ajv's own compiled ones do", async () => {
  const built = (await import(pathToFileURL(join(ROOT, OUT, 'suite', 'schema-ajv.js')).href)) as typeof import('../harness/suite/schema-ajv.js');
  const META = 'https://json-schema.org/draft/2020-12/schema';
  const schemas: unknown[] = [
    { type: 'object', properties: { a: { type: 'strin' } } },
    { type: 'object', required: 'a', properties: { a: { minimum: 'x', pattern: 5 } }, additionalProperties: 3 },
    { $defs: { x: { type: ['string', 7] } }, prefixItems: {}, anyOf: [], if: 3, then: { minItems: -1 } },
    { $schema: META, $id: 'not a uri %%', $anchor: '1bad', $dynamicAnchor: 5, format: 1, enum: 3 },
    { type: 'array', items: { type: 'object', properties: { c: { type: 'nope' } } }, unevaluatedProperties: 3 },
    { type: 'number', minimum: -Infinity, maximum: Infinity },
    { type: 'object', properties: { n: { type: 'integer', minimum: 0 } }, required: ['n'] },
    { type: 'string', format: 'nope' },
    true,
  ];
  for (const kind of ['tool', 'scoring'] as const) {
    const seeded = built.createToolSchemaAjv(kind);
    assert.type((seeded.schemas[META] as { validate?: unknown }).validate, 'function', `${kind}: the build's validator is not used`);
    const own = new Ajv2020(built.TOOL_SCHEMA_OPTIONS[kind]);
    addFormats.default(own);
    for (const schema of schemas) {
      const what = `${kind}: ${JSON.stringify(schema)}`;
      assert.is(seeded.validateSchema(schema as object), own.validateSchema(schema as object), what);
      assert.equal(seeded.errors, own.errors, what);
      const compileMessage = (ajv: Ajv2020) => {
        try {
          ajv.compile(schema as object);
          return 'compiled';
        } catch (err) {
          return (err as Error).message;
        } finally {
          if (typeof schema === 'object') ajv.removeSchema(schema as object);
        }
      };
      assert.is(compileMessage(seeded), compileMessage(own), what);
    }
  }
});

test('a build whose stamp differs from the sources is refused, and GTM_BENCH_BUILD=require then fails with the reason', () => {
  const file = join(ROOT, OUT, STAMP_FILE);
  const stamp = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...stamp, stamp: '0'.repeat(64) }));
  const chosen = compiledEntry(ROOT, OUT);
  assert.is(chosen.entry, undefined);
  assert.match(chosen.reason ?? '', /older than the sources/);
  assert.match(compiledEntry(ROOT, `${OUT}-missing`).reason ?? '', /has no build/);
  // The shim's own check on dist/: forced to the sources, a required build is refused with exit 2.
  const r = node(['bin/gtm-bench.js', '--version'], { GTM_BENCH_FROM_SOURCE: '1', GTM_BENCH_BUILD: 'require' });
  assert.is(r.status, 2);
  assert.match(r.stderr, /GTM_BENCH_BUILD=require, but GTM_BENCH_FROM_SOURCE=1/);
});

test('the fingerprint changes with any byte of any source file, a new file, the suite schema, the build script and the installed packages', () => {
  const root = mkdtempSync(join(tmpdir(), 'gtm-stamp-'));
  try {
    mkdirSync(join(root, 'harness', 'a'), { recursive: true });
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'harness', 'a', 'x.ts'), 'export const x = 1;\n');
    writeFileSync(join(root, 'harness', 'notes.md'), 'not compiled\n');
    writeFileSync(join(root, 'bin', 'build.js'), '// v1\n');
    writeFileSync(join(root, 'bin', 'source-stamp.js'), '//\n');
    writeFileSync(join(root, 'tsconfig.json'), '{}\n');
    mkdirSync(join(root, 'harness', 'suite'));
    writeFileSync(join(root, 'harness', 'suite', 'suite.schema.json'), '{}\n');
    const seen = new Set([sourceStamp(root)]);
    const changed = (what: string) => {
      const s = sourceStamp(root);
      assert.ok(!seen.has(s), `the stamp did not change after ${what}`);
      seen.add(s);
    };
    writeFileSync(join(root, 'harness', 'a', 'x.ts'), 'export const x = 2;\n');
    changed('editing a source file');
    writeFileSync(join(root, 'harness', 'y.ts'), '');
    changed('adding an empty source file');
    writeFileSync(join(root, 'bin', 'build.js'), '// v2\n');
    changed('editing the build script');
    writeFileSync(join(root, 'harness', 'suite', 'suite.schema.json'), '{"type": "object"}\n');
    changed('editing the suite schema (its validators are compiled into the build)');
    mkdirSync(join(root, 'node_modules'));
    writeFileSync(join(root, INSTALLED_PACKAGES), '{"packages": {"node_modules/vega": {"version": "6.4.0"}}}\n');
    changed('installing packages (the build bundles vega and holds code generated by ajv)');
    writeFileSync(join(root, INSTALLED_PACKAGES), '{"packages": {"node_modules/vega": {"version": "6.4.1"}}}\n');
    changed('installing another version of a package');
    const before = sourceStamp(root);
    writeFileSync(join(root, 'harness', 'notes.md'), 'still not compiled\n');
    assert.is(sourceStamp(root), before, 'a file the build does not compile must not invalidate it');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
