/**
 * One metric's score for every record of a target, by record index, in 8 bytes a record: a finite number is
 * the score's value; otherwise the slot holds a NaN whose low 32 bits say why there is no value (0: the record
 * has no such score; k > 0: the scorer returned null with reason kind k, an id the caller interns). A million
 * records cost 8 MB per metric, where keeping the records themselves cost gigabytes.
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

export class ScoreColumn {
  private f: Float64Array;
  private u: Uint32Array;

  constructor(initial = 1024) {
    this.f = new Float64Array(initial);
    this.u = new Uint32Array(this.f.buffer);
    this.markAbsent(0, initial);
  }

  private markAbsent(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      this.u[2 * i + HI] = NAN_HI;
      this.u[2 * i + LO] = NO_SCORE;
    }
  }

  private reserve(i: number): void {
    if (i < this.f.length) return;
    let cap = this.f.length;
    while (cap <= i) cap *= 2;
    const next = new Float64Array(cap);
    next.set(this.f);
    const old = this.f.length;
    this.f = next;
    this.u = new Uint32Array(next.buffer);
    this.markAbsent(old, cap);
  }

  /** Record `i` scored `value`, or (null) was not scored for reason kind `kind` (> 0). */
  set(i: number, value: number | null, kind: number): void {
    this.reserve(i);
    if (value !== null && Number.isFinite(value)) this.f[i] = value;
    else {
      this.u[2 * i + HI] = NAN_HI;
      this.u[2 * i + LO] = kind;
    }
  }

  /** The value of record `i`, or NaN when it has none (then `kind(i)` says why). */
  value(i: number): number {
    return i < this.f.length ? this.f[i] : NaN;
  }

  kind(i: number): number {
    return i < this.f.length ? this.u[2 * i + LO] : NO_SCORE;
  }
}
