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
 */
import { parsedValue } from './format.js';
import { formatPath, matchesAny, type PathSegment } from './paths.js';
import { fieldRules, type FieldRules } from './semantic-spec.js';
import { multisetF1, textSimilarity } from './text-sim.js';

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
  const w = new Walker(rules);
  if (!got) {
    overall.reasons.push('nothing parsed: every field of the reference is missing (scored 0)');
    exact.reasons.push('nothing parsed (scored 0)');
  }
  const r = got ? w.node(input.reference, got.value, true, false) : w.node(input.reference, undefined, false, true);
  if (r.w > 0) overall.value = r.s;
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
  private readonly path: PathSegment[] = [];
  private readonly worst: { score: number; text: string }[] = [];
  private readonly notes: string[] = [];

  constructor(private readonly rules: FieldRules) {}

  /** `has`: the output has this position; `quiet`: an ancestor already explained why this subtree failed. */
  node(ref: unknown, out: unknown, has: boolean, quiet: boolean): NodeScore {
    const { path, rules } = this;
    if (path.length > 0 && matchesAny(path, rules.ignore)) return ZERO;
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
      const t = textSimilarity(out, ref);
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
