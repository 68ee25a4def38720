import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatPath, matchSegments, parsePattern, pathMatches } from '../harness/scoring/paths.js';

test('concrete paths against patterns', () => {
  assert.ok(pathMatches('results[3].id', 'results[*].id'));
  assert.ok(pathMatches('results[3].id', 'results[3].id'));
  assert.not.ok(pathMatches('results[3].id', 'results[2].id'));
  assert.ok(pathMatches('code', 'code'));
  assert.not.ok(pathMatches('code', 'results[*].id'));
  assert.not.ok(pathMatches('results[3].id.x', 'results[*].id')); // same length only; the walker handles subtrees
  assert.not.ok(pathMatches('results.id', 'results[*].id')); // [*] needs an array index
  assert.ok(pathMatches('meta.took', 'meta.*'));
  assert.not.ok(pathMatches('meta[0]', 'meta.*')); // * is any key, not an index
  assert.ok(pathMatches('grid[1][2]', 'grid[*][*]'));
  assert.ok(pathMatches('["a.b"].c', '["a.b"].c'));
});

test('parse and format round trip', () => {
  assert.equal(parsePattern('a.b[*].c'), [{ kind: 'key', key: 'a' }, { kind: 'key', key: 'b' }, { kind: 'any_index' }, { kind: 'key', key: 'c' }]);
  assert.is(formatPath(['results', 3, 'id']), 'results[3].id');
  assert.is(formatPath([]), '(root)');
  assert.is(formatPath(['a.b', 'c d', 0]), '["a.b"]["c d"][0]');
  assert.is(formatPath([0, 'x']), '[0].x');
  const segs = ['a.b', 'x', 2];
  assert.ok(matchSegments(segs, parsePattern(formatPath(segs))));
});

test('malformed patterns throw', () => {
  for (const bad of ['', 'a..b', '.a', 'a.', 'a[', 'a[x]', 'a["x]', 'a.[0]']) {
    assert.throws(() => parsePattern(bad), /bad field path/, bad);
  }
});

test.run();
