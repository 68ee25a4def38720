/**
 * Issue 17 item 8f: a path outside the suite's folder is allowed, but a file that is not what it was named as
 * (a dataset, suite, tool file, prompt template pointed at a password file or a binary) is refused with exit 2
 * and a sentence that quotes none of its contents. A row of a file that does look like a dataset may still be
 * quoted: that is the user's data, and seeing it is how they fix it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachJsonl } from '../harness/records/jsonl.js';
import { readCorpus } from '../harness/tools/search/corpus.js';
import { jsonErrorWithoutText, notJsonLines, notMappingOf, parseUserYaml, withoutQuotedText } from '../harness/util/foreign-file.js';
import { ROOT, runCli, type ChildResult } from './support/cli-child.js';

const tmp = mkdtempSync(join(tmpdir(), 'gtm-foreign-'));
// Shaped like /etc/shadow (a password hash) and like an ELF binary; written here, so the test reads no system file.
const SHADOW = join(tmp, 'shadow');
writeFileSync(SHADOW, 'root:$6$Zq9salt$Hh7hashedPASSWORDvalue0123:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n');
const BINARY = join(tmp, 'program.bin');
writeFileSync(BINARY, Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01'), Buffer.alloc(9), Buffer.from('SECRETSTRING in the binary')]));
const CONTENT = ['root', 'Zq9salt', 'PASSWORD', 'daemon', 'ELF', 'SECRETSTRING'];
const ECHO_SUITE = readFileSync(join(ROOT, 'test/fixtures/cli/echo-model.yaml'), 'utf8')
  .replace(/\.\.\/\.\.\/\.\.\//g, `${ROOT}/`)
  .replace('../serving/', `${ROOT}/test/fixtures/serving/`);
const ENV = { GTM_BASE_URL: 'http://127.0.0.1:9/v1', GTM_MODEL: 'gtm-echo' };

test.after(() => rmSync(tmp, { recursive: true, force: true }));

function suiteWith(name: string, edit: (text: string) => string): string {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, edit(ECHO_SUITE));
  return file;
}

function quotesNothing(r: ChildResult) {
  for (const c of CONTENT) assert.not.ok((r.stdout + r.stderr).includes(c), `the output quotes "${c}":\n${r.stderr}`);
}

test('helpers: a file is judged by its first line and its NULs, and said without its text', () => {
  assert.is(notJsonLines(Buffer.from('\n{"id":"a"}\nnot json\n')), undefined, 'a later bad line is a row problem, not a foreign file');
  assert.is(notJsonLines(Buffer.from('\n\nroot:x:0:0\n')), 'line 3 is not JSON');
  assert.is(notJsonLines(Buffer.from('{"a":1}\u0000')), 'it holds binary data (a NUL byte at byte 7)');
  assert.is(notMappingOf('root:x', Buffer.from('root:x'), ['name']), 'its top level is a string, not a mapping of keys');
  assert.match(notMappingOf({ 'root:x': null }, Buffer.from('root:x:'), ['name'])!, /^none of its top-level keys is one it would have \(name, \.\.\.\)$/);
  assert.is(notMappingOf({ name: 'x' }, Buffer.from('name: x'), ['name']), undefined);
  assert.is(withoutQuotedText('Unexpected scalar token in YAML stream: "openssl_conf = x"'), 'Unexpected scalar token in YAML stream: (text not shown)');
  const v8 = (text: string) => {
    try {
      JSON.parse(text);
    } catch (err) {
      return (err as Error).message;
    }
    return '';
  };
  assert.is(jsonErrorWithoutText(v8('root:$6$Zq9salt$Hh7')), 'it is not JSON');
  assert.is(jsonErrorWithoutText(v8('{"a": 1,')), v8('{"a": 1,'), 'a message that quotes nothing is kept (positions help)');
  assert.throws(
    () => parseUserYaml(Buffer.from('a: 1\nopenssl_conf = x\n[')),
    (e: Error) => /^not valid YAML: line \d+, column \d+: /.test(e.message) && !e.message.includes('openssl'),
  );
});

test('8f: dataset: a password file or a binary is "not a JSONL dataset", exit 2, nothing of it quoted', async () => {
  for (const [file, why] of [
    [SHADOW, 'not a JSONL dataset: line 1 is not JSON'],
    [BINARY, 'not a JSONL dataset: it holds binary data (a NUL byte at byte 7)'],
  ]) {
    const suite = suiteWith('dataset', (t) => t.replace(/path: \S*echo-calls\.jsonl/, `path: ${file}`));
    const r = await runCli(['validate', suite], { env: ENV });
    assert.is(r.code, 2, r.stderr);
    assert.ok(r.stderr.includes(`${file}: ${why}`), r.stderr);
    quotesNothing(r);
  }
});

test('8f: a row of a file that is JSON lines is quoted as before', async () => {
  const data = join(tmp, 'rows.jsonl');
  const good = readFileSync(join(ROOT, 'test/fixtures/serving/echo-calls.jsonl'), 'utf8').split('\n')[0];
  writeFileSync(data, `${good}\noops {"id": "x"}\n`);
  const r = await runCli(['validate', suiteWith('rows', (t) => t.replace(/path: \S*echo-calls\.jsonl/, `path: ${data}`))], { env: ENV });
  assert.is(r.code, 2, r.stderr);
  // V8's message quotes the start of the line: allowed for a row of a dataset.
  assert.match(r.stderr, new RegExp(`${data}:2:\\d+: not valid JSON: .*"oops \\{`));
});

test('8f: suite, tool file and prompt template pointed at a password file or a binary: exit 2, nothing quoted', async () => {
  const cases: [string[], string][] = [
    [['validate', SHADOW], `${SHADOW}:1:1: not a gtm-bench suite: none of its top-level keys is one it would have`],
    [['validate', BINARY], `${BINARY}:1:1: not a gtm-bench suite: it holds binary data`],
    [
      ['validate', suiteWith('tool', (t) => t.replace(/tools:\n[\s\S]*?\ndatasets:/, `tools:\n  - file: ${SHADOW}\ndatasets:`))],
      `${SHADOW}:1:1: not a tool file: none of its top-level keys`,
    ],
    [
      ['validate', suiteWith('toolbin', (t) => t.replace(/tools:\n[\s\S]*?\ndatasets:/, `tools:\n  - file: ${BINARY}\ndatasets:`))],
      `${BINARY}:1:1: not a tool file: it holds binary data`,
    ],
    [
      [
        'run',
        suiteWith('template', (t) => t.replace(/prompt_template: \S+/, `prompt_template: ${BINARY}`)),
        '--no-preflight',
        '--quiet',
        '--out',
        join(tmp, 'r'),
      ],
      `prompt template ${BINARY}: not a text file: it holds binary data`,
    ],
  ];
  for (const [args, says] of cases) {
    const r = await runCli(args, { env: ENV });
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes(says), `${args.join(' ')}:\n${r.stderr}`);
    quotesNothing(r);
  }
});

test('8f: a run folder whose manifest.json is not JSON: report and --resume exit 2 without quoting it (resume was exit 70)', async () => {
  const dir = join(tmp, 'not-a-run');
  mkdirSync(dir);
  writeFileSync(join(dir, 'manifest.json'), readFileSync(SHADOW));
  writeFileSync(join(dir, 'records.jsonl'), readFileSync(SHADOW));
  for (const args of [
    ['report', dir],
    ['run', suiteWith('resume', (t) => t), '--no-preflight', '--quiet', '--resume', dir],
  ]) {
    const r = await runCli(args, { env: ENV });
    assert.is(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.ok(r.stderr.includes(`${join(dir, 'manifest.json')}: not a readable manifest: it is not JSON`), r.stderr);
    quotesNothing(r);
  }
});

test('8f: a JSONL file read by the run folder (records, steps) or a search corpus that is not JSON lines: its first line is not quoted', () => {
  assert.throws(
    () => forEachJsonl(SHADOW, () => undefined),
    (e: Error) => e.message === `${SHADOW}:1: not a JSONL file: line 1 is not JSON`,
  );
  assert.throws(
    () => readCorpus(SHADOW, () => undefined),
    (e: Error) => e.message === `corpus ${SHADOW}: not a JSONL corpus: line 1 is not JSON`,
  );
});

test.run();
