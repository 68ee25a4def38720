/**
 * Turns ajv's error list into one plain problem per mistake, placed at the offending node. ajv (allErrors,
 * verbose) reports several errors for one mistake: a type error and the range check beside it, every
 * branch of an anyOf, the `if` of an if/then; users need one line that says what was expected and found.
 */
import type { ErrorObject } from 'ajv';
import type { Problem } from '../util/errors.js';
import { didYouMean, expectedBy, listWords, secretKeyMessage, SECRET_KEY, showValue } from './describe.js';
import { joinPointer, problemAt, type SourceFile } from './source.js';

type AjvError = ErrorObject<string, Record<string, any>, unknown>;

/** Errors about the value itself (wrong type, out of range) rather than about keys inside it. */
const VALUE_KEYWORDS = new Set([
  'type',
  'enum',
  'const',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'format',
  'multipleOf',
]);

function found(e: AjvError): string {
  return showValue(e.data);
}

/** True when `text` matches `pattern`, or there is no (usable) pattern to match. */
function matches(pattern: unknown, text: string): boolean {
  if (typeof pattern !== 'string') return true;
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return true;
  }
}

function valueMessage(e: AjvError): string {
  const schema = e.parentSchema as Record<string, unknown> | undefined;
  let msg = `expected ${expectedBy(schema)}, found ${found(e)}`;
  if (e.keyword === 'format') msg = `expected a string in ${e.params.format} format, found ${found(e)}`;
  if (e.keyword === 'multipleOf') msg = `expected a multiple of ${e.params.multipleOf}, found ${found(e)}`;
  if (e.keyword === 'maxLength') msg = `expected a string of at most ${e.params.limit} characters, found one of ${String(e.data).length}`;
  // YAML reads `version: 1` as a number; say how to make it a string, when the string would do.
  const asString = String(e.data);
  const stringWouldDo = Array.isArray(schema?.enum) ? schema.enum.includes(asString) : matches(schema?.pattern, asString);
  if (e.keyword === 'type' && e.params.type === 'string' && (typeof e.data === 'number' || typeof e.data === 'boolean') && stringWouldDo) {
    msg += ` (quote it to make it a string: "${String(e.data)}")`;
  }
  return msg;
}

function keyMessage(e: AjvError): string | undefined {
  const schema = (e.parentSchema ?? {}) as Record<string, any>;
  switch (e.keyword) {
    case 'required':
      return `missing required key "${e.params.missingProperty}"`;
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      if (SECRET_KEY.test(key) && schema.properties && 'api_key_env' in schema.properties) {
        const example = e.instancePath.startsWith('/judge') ? 'JUDGE_API_KEY' : 'GTM_API_KEY';
        return secretKeyMessage(key, `api_key_env (for example api_key_env: ${example})`);
      }
      const allowed = Object.keys(schema.properties ?? {});
      const guess = didYouMean(key, allowed);
      return `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; ${allowed.length ? `allowed keys: ${allowed.join(', ')}` : 'no keys are allowed here'}`;
    }
    case 'minItems':
      return `expected at least ${e.params.limit} item${e.params.limit === 1 ? '' : 's'}, found ${showValue(e.data)}`;
    case 'maxItems':
      return `expected at most ${e.params.limit} items, found ${(e.data as unknown[]).length}`;
    case 'uniqueItems':
      return `expected no repeated items, found ${showValue((e.data as unknown[])[e.params.i])} twice (items ${e.params.j} and ${e.params.i})`;
    case 'minProperties':
      return `expected at least ${e.params.limit} key${e.params.limit === 1 ? '' : 's'}, found ${Object.keys(e.data as object).length}`;
    case 'dependentRequired':
      return `key "${e.params.property}" needs key${e.params.depsCount === 1 ? '' : 's'} ${e.params.deps} beside it`;
    default:
      return undefined;
  }
}

/** One problem for a failed anyOf/oneOf whose branches all failed on the value itself. */
function branchesMessage(e: AjvError, branchErrors: AjvError[]): string {
  const expectations = [
    ...new Set(branchErrors.map((b) => (b.keyword === 'required' ? `an object with key "${b.params.missingProperty}"` : expectedBy(b.parentSchema)))),
  ];
  if (e.keyword === 'oneOf' && e.params.passingSchemas) return `expected exactly one of the allowed forms to match, found ${found(e)} matching several`;
  return `expected ${listWords(expectations)}, found ${found(e)}`;
}

const within = (path: string, parent: string) => path === parent || path.startsWith(parent + '/');

/**
 * The errors of an anyOf/oneOf's branches. ajv emits them just before the anyOf error itself, as one
 * contiguous run at or under its value; schemaPath cannot tell, since a branch reached through $ref
 * (as in the JSON Schema meta-schema) reports paths relative to the referenced schema.
 */
function branchErrors(errors: AjvError[], e: AjvError): AjvError[] {
  const out: AjvError[] = [];
  for (let i = errors.indexOf(e) - 1; i >= 0 && within(errors[i].instancePath, e.instancePath); i--) {
    if (errors[i].keyword !== 'if') out.unshift(errors[i]);
  }
  return out;
}

/**
 * @param base pointer of the validated value inside `src` (for a tool schema checked against the
 *   meta-schema, `/tools/0/parameters`); ajv's instancePaths are relative to it.
 */
export function ajvProblems(src: SourceFile, errors: AjvError[], base = ''): Problem[] {
  let pending = errors.filter((e) => e.keyword !== 'if');
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const push = (pointer: string, message: string, at: 'key' | 'value' = 'value') => {
    const id = `${pointer}\n${message}`;
    if (seen.has(id)) return; // then/else branches and $ref'd definitions can repeat an error
    seen.add(id);
    problems.push(problemAt(src, pointer, message, at));
  };

  // anyOf/oneOf: if some branch failed only deeper inside the value, its errors are the useful ones;
  // otherwise every branch failed on the value itself, and one "expected A or B" line says it all.
  for (const e of errors.filter((x) => x.keyword === 'anyOf' || x.keyword === 'oneOf')) {
    const under = branchErrors(errors, e).filter((x) => pending.includes(x));
    const shallow = under.filter((x) => x.instancePath === e.instancePath && (VALUE_KEYWORDS.has(x.keyword) || x.keyword === 'required'));
    const deep = under.filter((x) => !shallow.includes(x));
    if (deep.length && e.params.passingSchemas === undefined) {
      pending = pending.filter((x) => x !== e && !shallow.includes(x));
    } else {
      pending = pending.filter((x) => x !== e && !under.includes(x));
      push(base + e.instancePath, branchesMessage(e, shallow));
    }
  }

  // Per value, a type error says it all; the range or pattern checks beside it only repeat it.
  const typeFailed = new Set(pending.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const e of pending) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    const pointer = base + e.instancePath;
    if (VALUE_KEYWORDS.has(e.keyword)) {
      if (e.keyword !== 'type' && typeFailed.has(e.instancePath)) continue;
      push(pointer, valueMessage(e));
      continue;
    }
    const msg = keyMessage(e);
    if (e.keyword === 'additionalProperties') push(joinPointer(pointer, e.params.additionalProperty), msg!, 'key');
    else if (msg) push(pointer, msg);
    else push(pointer, `${e.message ?? 'is invalid'} (JSON Schema keyword ${e.keyword})`);
  }
  return problems;
}
