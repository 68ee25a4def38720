/**
 * Format fidelity: does the response look like something the real tool could have returned?
 *
 * The expected shape follows the call, not the response: a call the dataset marks expect_error should get an
 * error response (error_schema, or the default `{error: ...}` shape), any other call a result
 * (response_schema). A well-formed error answering a valid call is therefore not schema-valid here; the
 * reason says so, and logic.false_refusal / logic.error_detected count the behaviour itself.
 *
 * Parsing is reported twice, side by side: format.parse counts the `strict` outcome (bare JSON, or intact JSON
 * in a ``` fence or inside prose it mostly fills, the wrapper named in the reasons), format.parse_repaired
 * counts `strict` or `repaired` (control characters, Python literals, trailing commas, inner quotes, a closed
 * truncation; the kinds named in the reasons). A `fragment` (a small value picked from inside a longer
 * answer) and `none` count 0 in both, and give the scorers no value.
 * Every other metric works on the repaired value, so one raw newline does not zero a whole answer. A
 * truncated response's closed prefix is never schema-valid, but it is walked for key recall and type
 * agreement, which measure how much of it was right.
 */
import type { DatasetCall, JsonSchema } from '../suite/types.js';
import { errorSchema, errorValidator, isErrorResponse } from './compile.js';
import { walkSchema } from './schema-walk.js';
import { outcomeOf, type ParsedOutput } from '../parse/parsed-output.js';
import type { CompiledTool, CompiledValidator, Score, ScoreInput } from './types.js';
import type { ResponseFamily } from './metric-family.js';

const MAX_MESSAGES = 5;

/** The value the scorers work on: strict or repaired (a fragment's value never reaches them). */
export function parsedValue(parsed: ParsedOutput | undefined): { value: unknown } | undefined {
  if (!parsed || !('value' in parsed)) return undefined;
  const outcome = outcomeOf(parsed);
  if (outcome !== 'strict' && outcome !== 'repaired') return undefined;
  return { value: parsed.value };
}

/** A whole value (anything but a closed truncation): what a caller of the real tool could use once repaired. */
export function isComplete(parsed: ParsedOutput | undefined): boolean {
  return parsedValue(parsed) !== undefined && parsed!.status !== 'truncated';
}

export function expectedShape(tool: CompiledTool, call: DatasetCall): { kind: string; schema: JsonSchema; validate: CompiledValidator } {
  return call.expect_error
    ? { kind: 'error_schema', schema: errorSchema(tool), validate: errorValidator(tool) }
    : { kind: 'response_schema', schema: tool.spec.response_schema, validate: tool.validateResponse };
}

export function scoreFormat(input: ScoreInput): Score[] {
  const { tool, call, parsed } = input;
  if (!parsed) {
    const none = (metric: string): Score => ({ metric, value: null, reasons: ['no response text'] });
    return [
      none('format.parse'),
      none('format.parse_repaired'),
      none('format.schema_valid'),
      none('format.required_key_recall'),
      none('format.type_agreement'),
    ];
  }
  const complete = isComplete(parsed);
  const outcome = outcomeOf(parsed);
  const parse: Score = { metric: 'format.parse', value: outcome === 'strict' ? 1 : 0, reasons: [] };
  const parseRepaired: Score = { metric: 'format.parse_repaired', value: outcome === 'strict' || outcome === 'repaired' ? 1 : 0, reasons: [] };
  if (parsed.status !== 'json') {
    const why = parsed.note ? `${parsed.status}: ${parsed.note}` : parsed.status;
    parse.reasons.push(why);
    parseRepaired.reasons.push(parsed.repairs ? `repaired (${parsed.repairs.join(', ')})` : why);
  }

  const got = parsedValue(parsed);
  const shape = expectedShape(tool, call);
  const valid: Score = { metric: 'format.schema_valid', value: 0, reasons: [] };
  if (!got) valid.reasons.push(`no JSON value (${parsed.status})`);
  else if (!complete) valid.reasons.push(`${parsed.status}: a repaired prefix is not credited`);
  else if (shape.validate(got.value)) valid.value = 1;
  else {
    const messages = shape.validate.messages();
    valid.reasons.push(`against ${shape.kind}:`, ...messages.slice(0, MAX_MESSAGES));
    if (messages.length > MAX_MESSAGES) valid.reasons.push(`+${messages.length - MAX_MESSAGES} more`);
    // Checked after the messages were read: the other validator may share state with this one.
    if (!call.expect_error && isErrorResponse(tool, got.value)) {
      valid.reasons.unshift('an error response where a result was expected (see logic.false_refusal)');
    } else if (call.expect_error && tool.validateResponse(got.value)) {
      valid.reasons.unshift('a result where an error response was expected (see logic.error_detected)');
    }
  }

  const recall: Score = { metric: 'format.required_key_recall', value: null, reasons: [] };
  const types: Score = { metric: 'format.type_agreement', value: null, reasons: [] };
  if (!got) {
    recall.reasons.push('nothing parsed');
    types.reasons.push('nothing parsed');
  } else {
    const w = walkSchema(shape.schema, got.value);
    if (w.required_total > 0) recall.value = w.required_present / w.required_total;
    else recall.reasons.push(`${shape.kind} requires no keys at the depths present`);
    if (w.typed_total > 0) types.value = w.typed_agree / w.typed_total;
    else types.reasons.push(`no present value has a declared type in ${shape.kind}`);
    for (const p of w.problems) (p.includes(': missing required key') ? recall : types).reasons.push(p);
  }
  return [parse, parseRepaired, valid, recall, types];
}

/** The format family: what each format.* metric means (metric-family.ts); the registry lists it first. */
export const formatFamily: ResponseFamily = {
  source: 'response',
  name: 'format',
  description: 'does the response parse, validate against the schema, have the required keys and the declared types',
  needs: {},
  metrics: {
    'format.parse': {
      label: 'JSON parses',
      direction: 'higher',
      kind: 'binary',
      how: 'share of responses that are strict JSON: bare JSON, a ``` fence or JSON inside prose that fills at least half the answer count; repaired, truncated, fragment or non-JSON text does not',
    },
    'format.parse_repaired': {
      label: 'JSON parses (repaired)',
      direction: 'higher',
      kind: 'binary',
      how: 'share of responses that are strict JSON or almost JSON repaired (raw control characters, Python literals or single quotes, trailing commas, unescaped inner quotes, a closed truncation); the other metrics score the repaired value',
    },
    'format.schema_valid': {
      label: 'schema valid',
      direction: 'higher',
      kind: 'binary',
      how: "share of responses that validate (ajv, JSON Schema 2020-12) against the tool's response schema, or its error schema for calls the dataset marks expect_error",
    },
    'format.required_key_recall': {
      label: 'required keys present',
      direction: 'higher',
      kind: 'bounded',
      how: 'per response, the share of keys the schema requires (at every depth reached) that are present; averaged over responses',
    },
    'format.type_agreement': {
      label: 'field types agree',
      direction: 'higher',
      kind: 'bounded',
      how: 'per response, the share of present schema-declared fields whose JSON type matches the schema; averaged over responses',
    },
  },
  score: (input) => scoreFormat(input),
};
