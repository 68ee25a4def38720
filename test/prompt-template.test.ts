// Prompt templates: rendering, load-time errors, and the file hash recorded in manifests.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPromptTemplate } from '../harness/prompts/template.js';
import type { ToolSpec } from '../harness/suite/types.js';
import type { SessionTurn } from '../harness/prompts/history.js';
import { DEFAULT_PROMPT_TEMPLATE } from '../harness/targets/openai.js';
import { sha256 } from '../harness/util/hash.js';

const dir = mkdtempSync(join(tmpdir(), 'gtm-prompt-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const tool: ToolSpec = {
  name: 'lookup',
  description: 'Looks a thing up.',
  parameters: { type: 'object', properties: { q: { type: 'string' } } },
  response_schema: { type: 'object', properties: { hits: { type: 'integer' } } },
  error_schema: { type: 'object', required: ['error'] },
  invariants: [],
  semantic: {},
};

test('default template: chat, system + user, every placeholder filled', () => {
  const t = loadPromptTemplate(DEFAULT_PROMPT_TEMPLATE);
  assert.is(t.id, 'gtm-tool-sim');
  assert.is(t.version, '1');
  assert.is(t.api, 'chat');
  const r = t.render(tool, { q: 'x' }) as { messages: { role: string; content: string }[] };
  assert.equal(
    r.messages.map((m) => m.role),
    ['system', 'user'],
  );
  const user = r.messages[1].content;
  assert.not.match(user, '{{');
  assert.match(user, 'Tool name: lookup');
  assert.match(user, 'Looks a thing up.');
  assert.match(user, JSON.stringify(tool.parameters, null, 2));
  assert.match(user, JSON.stringify(tool.response_schema, null, 2));
  assert.match(user, JSON.stringify(tool.error_schema, null, 2));
  assert.match(user, '{"q":"x"}');
});

test('default template header says the real GTM prompt is not public', () => {
  const text = readFileSync(DEFAULT_PROMPT_TEMPLATE, 'utf8');
  assert.match(text, /prompt template is not public/);
  assert.match(text, /StableToolBench/);
  assert.match(text, /MirrorAPI/);
});

test('completions template renders a prompt; a missing error_schema gets the default error object', () => {
  const p = file('c.yaml', 'id: c\nversion: 2\napi: completions\nprompt: "{{tool.name}} {{ arguments }}\\n{{tool.error_schema}}"\n');
  const t = loadPromptTemplate(p);
  const { error_schema: _omit, ...bare } = tool;
  const r = t.render(bare, { a: [1, 2] }) as { prompt: string };
  assert.ok(r.prompt.startsWith('lookup {"a":[1,2]}\n'));
  assert.equal(JSON.parse(r.prompt.split('\n').slice(1).join('\n')).required, ['error']);
  assert.is(t.version, '2');
});

test('placeholders are filled in one pass: values containing {{...}} stay as they are', () => {
  const t = loadPromptTemplate(file('one.yaml', 'id: o\nversion: "1"\napi: chat\nuser: "{{tool.description}}|{{arguments}}"\n'));
  const r = t.render({ ...tool, description: 'see {{arguments}}' }, { k: '{{tool.name}}' }) as { messages: { content: string }[] };
  assert.equal(r.messages, [{ role: 'user', content: 'see {{arguments}}|{"k":"{{tool.name}}"}' }]);
});

test('unknown placeholder: load fails naming it and the file', () => {
  const p = file('bad.yaml', 'id: b\nversion: "1"\napi: chat\nuser: "{{tool.name}} {{tool.examples}}"\n');
  assert.throws(
    () => loadPromptTemplate(p),
    (err: Error) => err.message.includes('{{tool.examples}}') && err.message.includes(p),
  );
});

test('structural errors are clear', () => {
  const cases: [string, RegExp][] = [
    ['version: "1"\napi: chat\nuser: x\n', /`id`/],
    ['id: a\napi: chat\nuser: x\n', /`version`/],
    ['id: a\nversion: "1"\napi: responses\nuser: x\n', /chat or completions/],
    ['id: a\nversion: "1"\napi: chat\nprompt: x\n', /`user`/],
    ['id: a\nversion: "1"\napi: completions\nsystem: s\nprompt: x\n', /only `prompt`/],
  ];
  cases.forEach(([text, re], i) => assert.throws(() => loadPromptTemplate(file(`s${i}.yaml`, text)), re));
  assert.throws(() => loadPromptTemplate(join(dir, 'absent.yaml')), /cannot read/);
});

test('sha256 is of the file bytes: stable across loads, changed by any edit', () => {
  const p = file('h.yaml', 'id: h\nversion: "1"\napi: chat\nuser: "{{arguments}}"\n');
  const a = loadPromptTemplate(p).sha256;
  assert.is(a, sha256(readFileSync(p)));
  assert.is(loadPromptTemplate(p).sha256, a);
  writeFileSync(p, 'id: h\nversion: "1"\napi: chat\nuser: "{{arguments}} "\n');
  assert.is.not(loadPromptTemplate(p).sha256, a);
});

test('renderWithJson: the same rendering, and json is JSON.stringify of it byte for byte (suites, sessions, surrogates, escapes)', async () => {
  const { loadSuite } = await import('../harness/suite/load.js');
  const suite = await loadSuite(join(process.cwd(), 'suites', 'default.yaml'), { env: {} });
  const chat = loadPromptTemplate(DEFAULT_PROMPT_TEMPLATE);
  const completions = loadPromptTemplate(
    file('c.yaml', 'id: c\nversion: 1\napi: completions\nprompt: "{{tool.description}}{{arguments}}\\n{{history}}|{{arguments}}"\n'),
  );
  const history = loadPromptTemplate(
    file('hist.yaml', 'id: h\nversion: 1\napi: chat\nsystem: "{{history}}"\nuser: "\\ud83d{{arguments}}\\ude00{{history}}\\ude00"\n'),
  );
  const odd: ToolSpec = { ...tool, description: 'ends in half a pair \ud83d', name: 'quote " back \\ slash \u2028 nul \u0000' };
  const cases: [ToolSpec, Record<string, unknown>][] = [
    ...suite.calls.map((c) => [suite.tools.find((t) => t.name === c.tool)!, c.arguments] as [ToolSpec, Record<string, unknown>]),
    [odd, { q: '\ude00 starts with the other half', e: '😀', ctl: '\u0001\n\t"' }],
    [tool, {}],
  ];
  const turns: SessionTurn[] = [{ tool: 'lookup', arguments: { q: '\ud83d' }, response: '\ude00 "x"\n\ud83d' }];
  let checked = 0;
  for (const t of [chat, completions, history]) {
    for (const [spec, args] of cases) {
      for (const h of [undefined, { turns }]) {
        const { rendered, json } = t.renderWithJson(spec, args, h);
        assert.equal(rendered, t.render(spec, args, h));
        const value = 'messages' in rendered ? rendered.messages : rendered.prompt;
        assert.is(json, JSON.stringify(value), `${t.id} ${spec.name}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 100, `${checked} renderings checked`);
});

test.run();
