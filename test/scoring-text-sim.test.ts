import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rougeL, textSimilarity, tokenF1, tokenize } from '../harness/scoring/text-sim.js';

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

test('tokens: lower case, Unicode letters and digits, punctuation dropped, articles kept', () => {
  assert.equal(tokenize('Hello, World! Ça va? 42nd the_end'), ['hello', 'world', 'ça', 'va', '42nd', 'the', 'end']);
  assert.equal(tokenize('東京 Tōkyō'), ['東京', 'tōkyō']);
  assert.equal(tokenize('  ...  '), []);
});

test('token F1 and ROUGE-L, hand-computed', () => {
  // pred "quick brown dog" vs ref "the quick brown fox": overlap {quick, brown} = 2,
  // P = 2/3, R = 2/4, F1 = 2PR/(P+R) = (2/3)/(7/6) = 4/7. LCS "quick brown" = 2: ROUGE-L = 4/7 too.
  const p = tokenize('quick brown dog');
  const r = tokenize('the quick brown fox');
  close(tokenF1(p, r), 4 / 7);
  close(rougeL(p, r), 4 / 7);
  close(textSimilarity('quick brown dog', 'the quick brown fox').score, 4 / 7);
  // order matters to ROUGE-L only: "a b c d" vs "d c b a": F1 = 1, LCS = 1 => P = R = 1/4 => 0.25; mean 0.625
  const t = textSimilarity('d c b a', 'a b c d');
  assert.equal([t.f1, t.rouge_l, t.score], [1, 0.25, 0.625]);
  // repeated tokens count once per occurrence: pred "a a a" vs ref "a b": overlap 1, P = 1/3, R = 1/2 => F1 = 0.4
  close(tokenF1(['a', 'a', 'a'], ['a', 'b']), 0.4);
});

test('edge cases: identical, both without tokens, one side empty, case and punctuation only', () => {
  assert.equal(textSimilarity('Same.', 'Same.'), { f1: 1, rouge_l: 1, score: 1 });
  assert.is(textSimilarity('!!!', '...').score, 1);
  assert.is(textSimilarity('', 'words').score, 0);
  assert.is(textSimilarity('Lazy dog', 'lazy DOG!').score, 1);
});

test.run();
