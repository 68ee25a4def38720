import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileSchema, compileTool, errorValidator, isErrorResponse } from '../harness/scoring/compile.js';
import type { ToolSpec } from '../harness/suite/types.js';
import { searchSpec, searchTool } from './fixtures/scoring/tools.js';

const bare = (over: Partial<ToolSpec> = {}): ToolSpec => ({
  name: 'bare',
  description: '',
  parameters: { type: 'object' },
  response_schema: { type: 'object', properties: { n: { type: 'integer' } } },
  invariants: [],
  semantic: {},
  ...over,
});

test('validators are cached by schema content and give readable messages', () => {
  const a = compileSchema({ type: 'object', required: ['x'] });
  const b = compileSchema({ required: ['x'], type: 'object' }); // same schema, keys in another order
  assert.is(a, b);
  const tool = searchTool();
  assert.ok(tool.validateResponse({ query: 'q', total: 0, results: [] }));
  assert.not.ok(tool.validateResponse({ query: 1, total: -1, results: [{ id: 'a' }], extra: true }));
  assert.equal(tool.validateResponse.messages(), [
    '(root): must NOT have additional properties ("extra")',
    '/query: must be string',
    '/total: must be >= 0',
    "/results/0: must have required property 'title'",
  ]);
  assert.ok(tool.validateError!({ error: { code: 'NOT_FOUND', message: 'm' } }));
  assert.not.ok(tool.validateError!({ error: { code: 'OOPS', message: 'm' } }));
  assert.equal(tool.validateError!.messages(), ['/error/code: must be equal to one of the allowed values (["BAD_QUERY","NOT_FOUND"])']);
});

test('formats are checked (ajv-formats) and 2020-12 keywords work', () => {
  const v = compileSchema({ type: 'object', properties: { at: { type: 'string', format: 'date-time' }, p: { prefixItems: [{ type: 'string' }] } } });
  assert.ok(v({ at: '2025-01-02T03:04:05Z', p: ['x', 1] }));
  assert.not.ok(v({ at: 'yesterday' }));
  assert.not.ok(v({ p: [1] }));
});

test('invariants: args/output as input object and as $variables; non-boolean results pass through', async () => {
  const tool = compileTool(
    bare({
      invariants: [
        { name: 'path_form', expr: 'output.n = args.n' },
        { name: 'var_form', expr: '$output.n = $args.n' },
        { name: 'nested_var', expr: '$count($output.items[value > $args.n])' },
      ],
    }),
  );
  const [p, v, nested] = tool.invariants;
  assert.is(p.applies_to, 'result'); // the default
  const bindings = { args: { n: 1 }, output: { n: 1, items: [{ value: 0 }, { value: 2 }, { value: 3 }] } };
  assert.is(await p.evaluate(bindings), true);
  assert.is(await v.evaluate(bindings), true);
  assert.is(await nested.evaluate(bindings), 2);
  assert.is(await p.evaluate({ args: { n: 1 }, output: { n: 2 } }), false);
});

test('invariants: $now, $millis and $random are refused (scores must not depend on the clock)', async () => {
  const tool = compileTool(bare({ invariants: [{ name: 'clock', expr: '$now() != ""' }] }));
  try {
    await tool.invariants[0].evaluate({ args: {}, output: {} });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.match(String((err as Error).message), /not allowed in an invariant/);
  }
});

test('load-time errors name the tool: bad JSONata, bad schema, bad semantic path', () => {
  assert.throws(() => compileTool(bare({ invariants: [{ name: 'broken', expr: 'output.(' }] })), /tool bare: invariant broken: JSONata syntax error/);
  assert.throws(
    () => compileTool(bare({ response_schema: { type: 'object', properties: { a: { $ref: '#/nowhere' } } } })),
    /tool bare: response_schema does not compile/,
  );
  assert.throws(() => compileTool(bare({ semantic: { deterministic: ['a..b'] } })), /tool bare: semantic.deterministic: bad field path/);
  assert.throws(() => compileTool(bare({ semantic: { numeric_tolerance: 0 } })), /numeric_tolerance/);
});

test('isErrorResponse: the error schema when there is one, else an object with a top-level error key', () => {
  const withSchema = searchTool();
  assert.ok(isErrorResponse(withSchema, { error: { code: 'BAD_QUERY', message: 'x' } }));
  assert.not.ok(isErrorResponse(withSchema, { error: 'plain text' })); // does not match its error_schema
  assert.not.ok(isErrorResponse(withSchema, { query: 'q', total: 0, results: [] }));
  const without = compileTool(bare());
  assert.is(without.validateError, undefined);
  assert.ok(isErrorResponse(without, { error: 'anything' }));
  // an empty error is no error: {"error": "", "response": ...} is a StableToolBench-style success
  assert.not.ok(isErrorResponse(without, { error: null, detail: 1 }));
  assert.not.ok(isErrorResponse(without, { error: '', response: 'data' }));
  assert.not.ok(isErrorResponse(without, [{ error: 1 }]));
  assert.not.ok(isErrorResponse(without, null));
  assert.not.ok(isErrorResponse(without, 'error'));
  assert.ok(errorValidator(without)({ error: 1 }));
});

test('compiling the same spec twice works (no duplicate $id trouble) and shares validators', () => {
  const spec = searchSpec();
  (spec.response_schema as Record<string, unknown>).$id = 'https://example.test/search-response';
  const a = compileTool(spec);
  const b = compileTool(JSON.parse(JSON.stringify(spec)));
  assert.is(a.validateResponse, b.validateResponse);
});

test.run();
