// Answer matching as the published evaluators do it: FlashRAG's F1 rule for yes / no / noanswer (HotpotQA's
// official rule), Python's str.split() whitespace, and the two has-answer rules of answer recall, named:
// substring (Search-R1's is_retrieval_correct, FlashRAG's retrieval_recall: the default) and whole tokens.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { answerRecall, answerRecallToken, recallsAnswer } from '../harness/scoring/answer-recall.js';
import type { FamilyInput } from '../harness/scoring/metric-family.js';
import { metricDef } from '../harness/scoring/metric-registry.js';
import { answerF1, containsAnswer, exactMatch, normalizeAnswer } from '../harness/scoring/squad-answer.js';
import type { DatasetCall } from '../harness/suite/types.js';

test('F1: a yes/no/noanswer prediction or golden answer scores 0 unless the two are equal', () => {
  assert.is(answerF1('yes', ['yes']), 1);
  assert.is(answerF1('Yes.', ['yes']), 1, 'normalised before the rule');
  assert.is(answerF1('no', ['no way']), 0, 'a closed prediction against an open golden answer: 0 (token F1 would give 0.67)');
  assert.is(answerF1('no way', ['no']), 0, 'an open prediction against a closed golden answer: 0');
  assert.is(answerF1('yes', ['no', 'yes']), 1, 'the best golden answer counts');
  assert.is(answerF1('noanswer', ['no answer']), 0, '"no answer" is two tokens, not the noanswer label');
  assert.is(answerF1('the Eiffel tower', ['Eiffel Tower in Paris']), (2 * (2 / 2) * (2 / 4)) / (2 / 2 + 2 / 4));
  assert.is(exactMatch('No', ['no']), 1);
});

test("normalisation splits on Python's whitespace, not JavaScript's \\s", () => {
  assert.is(normalizeAnswer('New\x1cYork'), 'new york', 'U+001C is whitespace to Python');
  assert.is(normalizeAnswer('New\x85York'), 'new york', 'U+0085 (NEL) is whitespace to Python');
  assert.is(normalizeAnswer('New\u3000York\u00a0City'), 'new york city');
  assert.is(normalizeAnswer('New\ufeffYork'), 'new\ufeffyork', "U+FEFF is not whitespace to Python (JavaScript's \\s says it is)");
  assert.is(answerF1('New\x1eYork', ['new york']), 1);
});

test('has-answer: substring (FlashRAG, Search-R1) vs whole tokens', () => {
  assert.ok(containsAnswer('Paris is the capital.', ['par'], 'substring'), 'substring: "par" is in "paris"');
  assert.not.ok(containsAnswer('Paris is the capital.', ['par'], 'token'));
  assert.ok(containsAnswer('"Paris"\nThe capital of France.', ['capital of France'], 'token'));
  assert.ok(containsAnswer('anything', ['The'], 'substring'), 'an answer that normalises to nothing matches, as Python\'s "" in s');
  assert.not.ok(containsAnswer('anything', ['The'], 'token'));
});

test('answer_recall (substring, the default) and answer_recall_token name their rule in every report', async () => {
  const out = {
    results: [
      { title: 'Lyon', text: 'A city.' },
      { title: 'Parisian life', text: 'Cafés.' },
    ],
  };
  const call = {
    id: 'c',
    tool: 'search',
    arguments: { query: 'q', top_k: 2 },
    gold: { golden_answers: ['Paris'] },
    source: { dataset: 'd', line: 1 },
  } as DatasetCall;
  const input = { call, parsed: { status: 'json', value: out }, reference: undefined } as unknown as FamilyInput;
  assert.equal(
    (await answerRecall.score(input, {})).map((s) => [s.metric, s.value]),
    [
      ['answer_recall.at_k', 1],
      ['answer_recall.reference_at_k', null],
    ],
  );
  assert.equal(
    (await answerRecallToken.score(input, {})).map((s) => [s.metric, s.value]),
    [
      ['answer_recall_token.at_k', 0],
      ['answer_recall_token.reference_at_k', null],
    ],
  );
  assert.match(recallsAnswer(out, ['Paris'], 2).reason, /substring match/);
  assert.match(metricDef('answer_recall.at_k')!.label, /substring match/);
  assert.match(metricDef('answer_recall.at_k')!.how, /Search-R1/);
  assert.match(metricDef('answer_recall_token.at_k')!.label, /token match/);
});

test.run();
