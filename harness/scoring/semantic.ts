/**
 * Reference-based semantic fidelity, no model: the simulated value is compared with the real tool's recorded
 * value field by field. The walk goes over the REFERENCE, so every real field counts and a field the
 * simulator invented costs nothing here (additionalProperties in the schema is where that shows).
 *
 * Field scores (a field is a reference leaf: a scalar, a list of scalars, an empty object, or a subtree a
 * `deterministic` pattern names):
 *   deterministic     1 if deep-equal, else 0
 *   string            mean of token F1 and ROUGE-L (text-sim.ts); a non-string scores 0
 *   number            1 - min(1, |out - ref| / max(|ref|, 1e-9) / numeric_tolerance)
 *   boolean, null     1 if identical, else 0
 *   list of scalars   multiset F1 of the elements, order ignored (both empty: 1)
 *   list of objects   elements aligned by index; the list's score is the weighted mean of its elements' scores
 *                     times len(ref) / max(len(ref), len(out)), so missing elements score 0 (recall) and extra
 *                     elements dilute the score (precision)
 *   missing in output 0 (every field under it)
 * An object's score is the mean over the fields below it, weighted by how many fields each child holds, so
 * `semantic.reference` is the mean over all fields. `ignore` patterns remove a subtree from the walk.
 * For an expect_error call the reference is the real error response and the same walk compares error with
 * error (typically `error.code` deterministic, `error.message` ignored).
 * An answer from which no value was parsed is walked as an empty answer: it scores 0, it is not left out.
 *
 * Rules that keep the score honest on real simulator output (issue 11 items 4-6):
 *   - a field empty on both sides ("", null, [], {}, or empty in the reference and absent in the output)
 *     carries no weight: it says nothing about the answer (`"error": ""` against `""` used to be half the
 *     score of every successful call of a {error, response} envelope);
 *   - the tool's `weights` (under `semantic:`) multiply the weight of every field under a path (default 1 per field); a pattern
 *     names a subtree, so `{response: 4}` makes the payload count four times a one-token flag;
 *   - a string in the output where the reference holds an object or array is decoded and walked when it
 *     holds one (stringified JSON, a Python repr);
 *   - a string field whose two sides both decode to a structured value (JSON, or a Python repr: single
 *     quotes, True/False/None) is compared structurally, key order irrelevant and numbers with the tool's
 *     tolerance; it still weighs as one field;
 *   - a string under the top-level `error` key is compared without the tokens most of the dataset's real
 *     errors share (the tool's error boilerplate, error-boilerplate.ts), so two different tracebacks no
 *     longer look alike.
 * When every field is empty on both sides (none ignored) the answer agrees on all of them and scores 1.
 */
import { parsedValue } from './format.js';
import { formatPath, matchesAny, type PathSegment } from './paths.js';
import { fieldRules, type FieldRules } from './semantic-spec.js';
import { decodeStructured } from './structured-string.js';
import { multisetF1, rougeL, textSimilarity, tokenF1, tokenize, type TextScore } from './text-sim.js';

export { multisetF1 };
import type { Score, ScoreInput } from './types.js';
import type { ResponseFamily } from './metric-family.js';

const EPS = 1e-9;
const WORST = 5;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || typeof v !== 'object';
const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function scoreSemantic(input: ScoreInput & { reference: unknown }): Score[] {
  const overall: Score = { metric: 'semantic.reference', value: null, reasons: [] };
  const exact: Score = { metric: 'semantic.exact_fields', value: null, reasons: [] };
  const rules = fieldRules(input.tool.spec);
  const got = parsedValue(input.parsed);
  const skip = input.reference === undefined ? 'no reference output for this call' : !input.parsed ? 'no response text' : undefined;
  if (skip) {
    overall.reasons.push(skip);
    exact.reasons.push(skip);
    return [overall, exact];
  }
  // An answer with no parsed value still counts: every field of the reference is missing from it, so it
  // scores 0 rather than leaving the mean (a simulator that writes broken JSON on hard calls must not gain).
  const w = new Walker(rules, input.tool.errorBoilerplate);
  if (!got) {
    overall.reasons.push('nothing parsed: every field of the reference is missing (scored 0)');
    exact.reasons.push('nothing parsed (scored 0)');
  }
  const r = got ? w.node(input.reference, got.value, true, false) : w.node(input.reference, undefined, false, true);
  if (r.w > 0) overall.value = r.s;
  else if (!got) overall.value = 0;
  // No field weighed and none was ignored: every field is empty on both sides, so the answer agrees.
  else if (!w.ignoredAny) overall.value = 1;
  else overall.reasons.push('every field of the reference is ignored');
  overall.reasons.push(...w.reasons());
  if (rules.deterministic.length === 0) exact.reasons.push('the suite lists no deterministic fields for this tool');
  else if (w.detTotal === 0) exact.reasons.push('no deterministic field occurs in this reference');
  else {
    exact.value = w.detHit / w.detTotal;
    exact.reasons.push(...w.detMisses);
  }
  return [overall, exact];
}

interface NodeScore {
  /** score in 0..1 */
  s: number;
  /** number of fields it stands for (0 when all ignored) */
  w: number;
}

const ZERO: NodeScore = { s: 0, w: 0 };

class Walker {
  detTotal = 0;
  detHit = 0;
  detMisses: string[] = [];
  ignoredAny = false;
  private readonly path: PathSegment[] = [];
  private readonly worst: { score: number; text: string }[] = [];
  private readonly notes: string[] = [];

  constructor(
    private readonly rules: FieldRules,
    private readonly boilerplate?: ReadonlySet<string>,
  ) {}

  /** `has`: the output has this position; `quiet`: an ancestor already explained why this subtree failed. */
  node(ref: unknown, out: unknown, has: boolean, quiet: boolean): NodeScore {
    const { path, rules } = this;
    if (path.length > 0 && matchesAny(path, rules.ignore)) {
      this.ignoredAny = true;
      return ZERO;
    }
    if (isEmpty(ref) && (!has || isEmpty(out))) return ZERO;
    const r = this.weighed(ref, out, has, quiet);
    if (path.length > 0 && rules.weights.length > 0 && r.w > 0) {
      for (const [pattern, factor] of rules.weights) if (matchesAny(path, [pattern])) return { s: r.s, w: r.w * factor };
    }
    return r;
  }

  private weighed(ref: unknown, out: unknown, has: boolean, quiet: boolean): NodeScore {
    const { path, rules } = this;
    // A structure written as a string (stringified JSON, a Python repr) is compared by its content; the
    // type mismatch itself is format's to count (schema_valid, type_agreement).
    if (has && typeof out === 'string' && ref !== null && typeof ref === 'object') {
      const d = decodeStructured(out);
      if (d) out = d.value;
    }
    if (path.length > 0 && matchesAny(path, rules.deterministic)) {
      const ok = has && deepEqual(ref, out);
      this.detTotal++;
      if (ok) this.detHit++;
      else if (this.detMisses.length < WORST) this.detMisses.push(`${formatPath(path)}: ${has ? `${clip(out)} != ${clip(ref)}` : 'missing'}`);
      return this.leaf(ok ? 1 : 0, quiet, has ? 'deterministic, differs' : 'missing');
    }
    if (isScalar(ref)) return has ? this.scalar(ref, out, quiet) : this.leaf(0, quiet, 'missing');
    if (Array.isArray(ref)) {
      if (ref.every(isScalar)) {
        if (!has) return this.leaf(0, quiet, 'missing');
        if (!Array.isArray(out)) return this.leaf(0, quiet, `expected array, got ${kind(out)}`);
        return this.leaf(multisetF1(ref, out), quiet, 'elements differ');
      }
      return this.list(ref, out, has, quiet);
    }
    const o = ref as Obj;
    const keys = Object.keys(o);
    if (keys.length === 0) return this.leaf(has && isObj(out) ? 1 : 0, quiet, has ? `expected object, got ${kind(out)}` : 'missing');
    let childQuiet = quiet;
    if (!has || !isObj(out)) {
      if (!quiet) this.note(has ? `expected object, got ${kind(out)}` : 'missing');
      childQuiet = true;
    }
    let sum = 0;
    let weight = 0;
    for (const key of keys) {
      const present = has && isObj(out) && Object.hasOwn(out, key);
      this.path.push(key);
      const r = this.node(o[key], present ? (out as Obj)[key] : undefined, present, childQuiet);
      this.path.pop();
      sum += r.s * r.w;
      weight += r.w;
    }
    return weight > 0 ? { s: sum / weight, w: weight } : ZERO;
  }

  private list(ref: unknown[], out: unknown, has: boolean, quiet: boolean): NodeScore {
    const arr = has && Array.isArray(out) ? out : undefined;
    if (!arr && !quiet) this.note(has ? `expected array, got ${kind(out)}` : 'missing');
    let sum = 0;
    let weight = 0;
    for (let i = 0; i < ref.length; i++) {
      const present = arr !== undefined && i < arr.length;
      this.path.push(i);
      const r = this.node(ref[i], present ? arr[i] : undefined, present, quiet || !arr);
      this.path.pop();
      sum += r.s * r.w;
      weight += r.w;
    }
    if (weight === 0) return ZERO;
    const extra = arr ? Math.max(0, arr.length - ref.length) : 0;
    if (extra > 0 && !quiet) this.note(`${extra} extra element${extra === 1 ? '' : 's'} (${arr!.length} vs ${ref.length})`);
    return { s: (sum / weight) * (ref.length / Math.max(ref.length, arr ? arr.length : 0)), w: weight };
  }

  private scalar(ref: unknown, out: unknown, quiet: boolean): NodeScore {
    if (typeof ref === 'string') {
      if (typeof out !== 'string') return this.leaf(0, quiet, `expected string, got ${kind(out)}`);
      if (out !== ref) {
        const a = decodeStructured(ref);
        const b = a === undefined ? undefined : decodeStructured(out);
        // Both sides hold a structure: compare it as one, still weighing as one field.
        if (b !== undefined) {
          const r = this.node(a!.value, b.value, true, quiet);
          return r.w > 0 ? { s: r.s, w: 1 } : { s: deepEqual(a!.value, b.value) ? 1 : 0, w: 1 };
        }
      }
      const t = this.path[0] === 'error' && this.boilerplate ? withoutBoilerplate(out, ref, this.boilerplate) : textSimilarity(out, ref);
      return this.leaf(t.score, quiet, `F1 ${t.f1.toFixed(2)}, ROUGE-L ${t.rouge_l.toFixed(2)}`);
    }
    if (typeof ref === 'number') {
      if (typeof out !== 'number') return this.leaf(0, quiet, `expected number, got ${kind(out)}`);
      const rel = Math.abs(out - ref) / Math.max(Math.abs(ref), EPS);
      return this.leaf(1 - Math.min(1, rel / this.rules.numeric_tolerance), quiet, `${out} vs ${ref}`);
    }
    return this.leaf(out === ref ? 1 : 0, quiet, `${clip(out)} vs ${clip(ref)}`);
  }

  /** One field's score; the worst few (lowest score, first seen on ties) are kept for the reasons. */
  private leaf(score: number, quiet: boolean, detail: string): NodeScore {
    if (!quiet && score < 1) {
      const list = this.worst;
      if (list.length < WORST || score < list[list.length - 1].score) {
        let at = list.length;
        while (at > 0 && list[at - 1].score > score) at--;
        list.splice(at, 0, { score, text: `${formatPath(this.path)}: ${score.toFixed(2)} (${detail})` });
        if (list.length > WORST) list.pop();
      }
    }
    return { s: score, w: 1 };
  }

  private note(what: string): void {
    if (this.notes.length < WORST) this.notes.push(`${formatPath(this.path)}: ${what}`);
  }

  reasons(): string[] {
    return [...this.notes, ...this.worst.map((x) => x.text)];
  }
}

/** Empty on its side: "", null, [], {}, or absent. Whitespace-only text is empty too. */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') {
    for (const _ in v as Obj) return false;
    return true;
  }
  return false;
}

/** Text similarity of two error texts once the tokens most of the dataset's errors share are taken out. */
function withoutBoilerplate(out: string, ref: string, boilerplate: ReadonlySet<string>): TextScore {
  const p = tokenize(out).filter((t) => !boilerplate.has(t));
  const r = tokenize(ref).filter((t) => !boilerplate.has(t));
  const f1 = tokenF1(p, r);
  const rouge_l = rougeL(p, r);
  return { f1, rouge_l, score: (f1 + rouge_l) / 2 };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function clip(v: unknown): string {
  const s = v === undefined ? 'nothing' : JSON.stringify(v);
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

/** The semantic family (metric-family.ts): needs the real tool's recorded output. */
export const semanticFamily: ResponseFamily = {
  source: 'response',
  name: 'semantic',
  description: "field-by-field agreement with the real tool's recorded output, no model",
  needs: { reference: true },
  metrics: {
    'semantic.reference': {
      label: 'semantic fidelity vs real',
      direction: 'higher',
      kind: 'bounded',
      how: "per response, the mean over the real response's fields of a field score: exact match for deterministic fields, mean of token F1 and ROUGE-L for text, 1 - relative error / tolerance for numbers, F1 of set overlap for lists; missing fields score 0",
    },
    'semantic.exact_fields': {
      label: 'deterministic fields exact',
      direction: 'higher',
      kind: 'bounded',
      how: 'per response, the share of fields the suite marks deterministic that equal the real response exactly',
    },
  },
  score: (input) => scoreSemantic(input),
};
