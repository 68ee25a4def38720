// real:web-search with provider: serper against a loopback stand-in speaking Serper's recorded shape: the request
// (POST {q, num, gl, hl}, X-API-KEY), organic results with position and date, the answer box (also with no
// organic results at all), the extra sections accepted, and the tool's answer valid in search.yaml.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { HARNESS_ROOT } from '../harness/records/manifest.js';
import { compileTool } from '../harness/scoring/compile.js';
import { scoreFormat } from '../harness/scoring/format.js';
import { scoreLogic } from '../harness/scoring/logic.js';
import { createWebSearchTarget } from '../harness/targets/real-web-search.js';
import type { CallContext } from '../harness/targets/types.js';
import { readSerperResults } from '../harness/tools/search/web-search-providers.js';
import type { DatasetCall, LoadedSuite, ToolSpec } from '../harness/suite/types.js';
import { startSerperStandIn } from './support/serper-stand-in.js';

const KEY = 'serper_test_key_0123456789';
const suite = { file: join(HARNESS_ROOT, 'suites', 'x.yaml') } as LoadedSuite;
const spec = (options: Record<string, unknown>) => ({ name: 'web', kind: 'real:web-search', concurrency: 1, options });
const call = (args: Record<string, unknown>) => ({ id: 'c', tool: 'search', arguments: args, source: { dataset: 'd', line: 1 } }) as DatasetCall;
const ctx = (args: Record<string, unknown>): CallContext => ({ tool: { name: 'search' } as ToolSpec, call: call(args), repeat: 0, seed: 1 });
const searchTool = compileTool(parse(readFileSync(join(HARNESS_ROOT, 'suites', 'tools', 'search.yaml'), 'utf8')) as ToolSpec);

// Field names and value styles as Serper sends them (searchParameters, organic with position and date,
// sitelinks, answerBox with snippetHighlighted, knowledgeGraph, peopleAlsoAsk, relatedSearches).
const withOrganic = {
  searchParameters: { q: 'capital of australia', gl: 'us', hl: 'en', type: 'search', num: 3, engine: 'google' },
  answerBox: { title: 'Australia / Capital', answer: 'Canberra', snippetHighlighted: ['Canberra'] },
  knowledgeGraph: { title: 'Canberra', type: 'Capital of Australia', attributes: { Population: '467,194 (2021)' } },
  organic: [
    {
      title: 'Canberra - Wikipedia',
      link: 'https://en.wikipedia.org/wiki/Canberra',
      snippet: 'Canberra is the capital city of Australia.',
      sitelinks: [{ title: 'History', link: 'https://en.wikipedia.org/wiki/History_of_Canberra' }],
      position: 1,
    },
    {
      title: 'Why is Canberra the capital?',
      link: 'https://example.org/why-canberra',
      snippet: 'Canberra was chosen in 1908 as a compromise.',
      date: 'Jan 26, 2023',
      position: 2,
    },
  ],
  peopleAlsoAsk: [
    { question: 'Why is Sydney not the capital?', snippet: 'A compromise between Sydney and Melbourne.', title: 'Capital', link: 'https://example.org/q' },
  ],
  relatedSearches: [{ query: 'canberra population' }],
  credits: 1,
};
const boxOnly = {
  searchParameters: { q: 'weather chennai', type: 'search', engine: 'google' },
  answerBox: { title: 'Chennai, Tamil Nadu, India / Weather', answer: '87°F' },
};

test('serper: POST {q, num, gl, hl} with X-API-KEY; positions, dates and the answer box come back, no score', async () => {
  const stand = await startSerperStandIn({ key: KEY, answers: [{ body: withOrganic }, { body: boxOnly }, { body: { organic: 'nope' } }] });
  const target = await createWebSearchTarget(spec({ provider: 'serper', url: stand.url, gl: 'us', hl: 'en', retries: 0 }), {
    suite,
    env: { SERPER_API_KEY: KEY },
  });
  try {
    const obs = await target.call(ctx({ query: 'capital of australia', top_k: 3 }));
    assert.is(obs.error, null);
    assert.equal(stand.requests[0], { method: 'POST', path: '/search', apiKey: KEY, body: { q: 'capital of australia', num: 3, gl: 'us', hl: 'en' } });
    const value = JSON.parse(obs.raw!);
    assert.equal(value, {
      results: [
        { id: 'https://en.wikipedia.org/wiki/Canberra', title: 'Canberra - Wikipedia', text: 'Canberra is the capital city of Australia.', position: 1 },
        {
          id: 'https://example.org/why-canberra',
          title: 'Why is Canberra the capital?',
          text: 'Canberra was chosen in 1908 as a compromise.',
          position: 2,
          date: 'Jan 26, 2023',
        },
      ],
      answer_box: { title: 'Australia / Capital', answer: 'Canberra' },
    });
    const parsed = { status: 'json' as const, value };
    assert.is(scoreFormat({ tool: searchTool, call: call({ query: 'q', top_k: 3 }), parsed }).find((s) => s.metric === 'format.schema_valid')!.value, 1);
    assert.is((await scoreLogic({ tool: searchTool, call: call({ query: 'q', top_k: 3 }), parsed })).find((s) => s.metric === 'logic.invariants')!.value, 1);

    const box = await target.call(ctx({ query: 'weather chennai', top_k: 5 }));
    assert.equal(
      JSON.parse(box.raw!),
      { results: [], answer_box: { title: 'Chennai, Tamil Nadu, India / Weather', answer: '87°F' } },
      'an answer box and no organic results',
    );
    const bad = await target.call(ctx({ query: 'x', top_k: 1 }));
    assert.is(bad.error?.class, 'bad_response');
    assert.match(bad.error!.message, /not a serper search response: organic: expected a list/);
  } finally {
    await target.close!();
    await stand.close();
  }
});

test('serper: without SERPER_API_KEY the target is not configured; a wrong key is an HTTP 4xx with the key redacted', async () => {
  const none = await createWebSearchTarget(spec({ provider: 'serper' }), { suite, env: {} });
  assert.match(none.unavailable!, /SERPER_API_KEY is not set.*serper\.dev/);
  const stand = await startSerperStandIn({ key: 'the-right-key-000', answers: [] });
  const wrong = await createWebSearchTarget(spec({ provider: 'serper', url: stand.url, retries: 0 }), { suite, env: { SERPER_API_KEY: KEY } });
  try {
    const obs = await wrong.call(ctx({ query: 'x', top_k: 1 }));
    assert.is(obs.error?.class, 'http_4xx');
    assert.not.match(obs.error!.message, KEY);
  } finally {
    await wrong.close!();
    await stand.close();
  }
});

test('serper reader: position kept as sent, missing snippet is empty text, a result without a link is refused', () => {
  const r = readSerperResults({ organic: [{ title: 'T', link: 'https://a', position: 4 }] });
  assert.equal(r.hits, [{ id: 'https://a', title: 'T', text: '', position: 4 }]);
  assert.is(r.answer_box, undefined);
  assert.throws(() => readSerperResults({ organic: [{ title: 'T' }] }), /organic\[0\]\.link: expected a string/);
});

test.run();
