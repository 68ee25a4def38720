/**
 * One metric's score for every record of a target, by record index. While the column has few distinct entries
 * (a value, or "no value, for reason kind k") it keeps a one-byte code per record and a table of the entries:
 * scores are mostly 0/1 or fractions k/m of a few invariants or keys, so a million records cost 1 MB per metric
 * (8 MB as doubles; with the default suite's eight format + logic metrics, the difference put a 1M-call run's
 * summary over 300 MB). On the 255th distinct entry the column widens to 8 bytes a record: a finite number is
 * the score's value; otherwise the slot holds a NaN whose low 32 bits say why there is no value (0: the record
 * has no such score; k > 0: the scorer returned null with reason kind k, an id the caller interns). Either way
 * `value(i)` gives back the very double that was set, so sums over the column are the same bits.
 *
 * Why a NaN payload: a value comes from JSON, which cannot hold NaN or Infinity, so no real value is mistaken
 * for a tag. The bits are written and read through a Uint32Array view of the same memory, because a NaN passed
 * around as a JavaScript number need not keep its payload.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;
/** Quiet NaN: exponent all ones, top mantissa bit set; the low word is free for the reason kind. */
const NAN_HI = 0x7ff80000;

/** The kind id of "the record has no such score". */
export const NO_SCORE = 0;

/** Codes a narrow column holds: 0 is "no such score", 1..255 an entry of its table. */
const MAX_ENTRIES = 255;

export class ScoreColumn {
  /** Narrow form: a code per record, and per code (from 1) the value (NaN: none) and the reason kind. */
  private codes: Uint8Array | undefined;
  private readonly entryValue: number[] = [];
  private readonly entryKind: number[] = [];
  private readonly valueCodes = new Map<number, number>();
  private readonly kindCodes = new Map<number, number>();
  /** Wide form: 8 bytes a record (a value, or a NaN carrying the reason kind), once the table is full. */
  private f: Float64Array | undefined;
  private u: Uint32Array | undefined;

  constructor(initial = 1024) {
    this.codes = new Uint8Array(initial);
  }

  /** Whether the column still keeps one byte a record (tests and the bench read it). */
  get narrow(): boolean {
    return this.codes !== undefined;
  }

  private markAbsent(from: number, to: number): void {
    const u = this.u!;
    for (let i = from; i < to; i++) {
      u[2 * i + HI] = NAN_HI;
      u[2 * i + LO] = NO_SCORE;
    }
  }

  private reserve(i: number): void {
    const codes = this.codes;
    if (codes) {
      if (i < codes.length) return;
      const next = new Uint8Array(grown(codes.length, i));
      next.set(codes);
      this.codes = next;
      return;
    }
    const f = this.f!;
    if (i < f.length) return;
    const next = new Float64Array(grown(f.length, i));
    next.set(f);
    this.f = next;
    this.u = new Uint32Array(next.buffer);
    this.markAbsent(f.length, next.length);
  }

  /** The code of an entry, added to the table when there is room; undefined when the column must widen. */
  private code(value: number | null, kind: number): number | undefined {
    if (value === null) {
      if (kind === NO_SCORE) return 0;
      return this.kindCodes.get(kind) ?? this.add(NaN, kind, this.kindCodes, kind);
    }
    // -0 and 0 are one key of a Map; a -0 (which JSON can carry) widens the column so it is given back as -0.
    if (value === 0 && 1 / value < 0) return undefined;
    return this.valueCodes.get(value) ?? this.add(value, NO_SCORE, this.valueCodes, value);
  }

  private add(value: number, kind: number, codes: Map<number, number>, key: number): number | undefined {
    if (this.entryValue.length === MAX_ENTRIES) return undefined;
    this.entryValue.push(value);
    this.entryKind.push(kind);
    codes.set(key, this.entryValue.length);
    return this.entryValue.length;
  }

  /** From a code per record to 8 bytes per record, keeping every record's value and kind. */
  private widen(): void {
    const codes = this.codes!;
    this.f = new Float64Array(codes.length);
    this.u = new Uint32Array(this.f.buffer);
    this.markAbsent(0, codes.length);
    for (let i = 0; i < codes.length; i++) if (codes[i] !== 0) this.setWide(i, this.entryValue[codes[i] - 1], this.entryKind[codes[i] - 1]);
    this.codes = undefined;
    this.valueCodes.clear();
    this.kindCodes.clear();
  }

  private setWide(i: number, value: number, kind: number): void {
    if (Number.isFinite(value)) this.f![i] = value;
    else {
      this.u![2 * i + HI] = NAN_HI;
      this.u![2 * i + LO] = kind;
    }
  }

  /** Record `i` scored `value`, or (null) was not scored for reason kind `kind` (> 0). */
  set(i: number, value: number | null, kind: number): void {
    const v = value !== null && Number.isFinite(value) ? value : null;
    if (this.codes) {
      const code = this.code(v, kind);
      if (code !== undefined) {
        this.reserve(i);
        this.codes![i] = code;
        return;
      }
      this.widen();
    }
    this.reserve(i);
    this.setWide(i, v ?? NaN, kind);
  }

  /** The value of record `i`, or NaN when it has none (then `kind(i)` says why). */
  value(i: number): number {
    const codes = this.codes;
    if (codes) return i < codes.length && codes[i] !== 0 ? this.entryValue[codes[i] - 1] : NaN;
    return i < this.f!.length ? this.f![i] : NaN;
  }

  kind(i: number): number {
    const codes = this.codes;
    if (codes) return i < codes.length && codes[i] !== 0 ? this.entryKind[codes[i] - 1] : NO_SCORE;
    return i < this.f!.length ? this.u![2 * i + LO] : NO_SCORE;
  }
}

/** Capacity for index `i`, doubling from `cap`. */
function grown(cap: number, i: number): number {
  while (cap <= i) cap *= 2;
  return cap;
}
