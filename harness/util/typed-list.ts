/**
 * Append-only lists of numbers in typed arrays: what a reduction keeps per item when it must keep something per
 * item (a run's summary needs every latency and every score to order and sum them), at 8 bytes a value instead
 * of a number in an object or a boxed array slot. Capacity doubles, so a million values cost ~8 MB (16 MB for a
 * moment while growing).
 */

type TypedArray = Float64Array | Uint32Array | Uint8Array;

abstract class TypedList<A extends TypedArray> {
  protected data: A;
  length = 0;

  constructor(
    private readonly make: (n: number) => A,
    initial = 1024,
  ) {
    this.data = make(initial);
  }

  /** Room for index `i`; new slots get `fill` (subclasses say what "unset" is). */
  protected reserve(i: number): void {
    if (i < this.data.length) return;
    let cap = this.data.length;
    while (cap <= i) cap *= 2;
    const next = this.make(cap);
    next.set(this.data);
    this.onGrow(next, this.data.length);
    this.data = next;
  }

  protected onGrow(_next: A, _from: number): void {}

  push(v: number): void {
    this.reserve(this.length);
    this.data[this.length++] = v;
  }

  at(i: number): number {
    return this.data[i];
  }

  /** The values as one array of exactly `length` (a view, not a copy: do not keep it while pushing). */
  view(): A {
    return this.data.subarray(0, this.length) as A;
  }
}

export class Float64List extends TypedList<Float64Array> {
  constructor(initial?: number) {
    super((n) => new Float64Array(n), initial);
  }
}

export class Uint32List extends TypedList<Uint32Array> {
  constructor(initial?: number) {
    super((n) => new Uint32Array(n), initial);
  }
}

export class Uint8List extends TypedList<Uint8Array> {
  constructor(initial?: number) {
    super((n) => new Uint8Array(n), initial);
  }
}
