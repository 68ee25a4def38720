/**
 * The plan of a run, kept compact: the ordered work items as positions in the call-major expansion
 * (call x repeat x target) plus 8 bytes of id each, in typed arrays off the JS heap. A WorkItem object is made
 * only when something takes that item (the engine when it sends the call, merge when it lists a missing one).
 * Why: a million items as objects (object, id string, seed number) were ~123 MB of live heap for the whole
 * run, and V8 let the old generation grow to about twice its live set before a major GC, so a 1M-call run
 * peaked at 750 MB. Here the same million items are ~12 MB (8 bytes of id, 4 of position when selected).
 * Everything that walks a plan (engine, --shard, --resume, --limit's selection, the prompt-size check,
 * the plan hash, merge, replay) reads it through this one class.
 */
import { ID_BYTES } from '../util/hash.js';
import type { DatasetCall } from '../suite/types.js';
import type { WorkItem } from './types.js';
import { Uint32List } from '../util/typed-list.js';

/** Empty slot of the id index (item indices are stored + 1). */
const EMPTY = 0;

export class Plan implements Iterable<WorkItem> {
  /** Open-addressing table from an id to the first item holding it (item index + 1); built on first lookup. */
  private slots: Uint32Array | undefined;

  /**
   * @param calls the planned calls (after --limit), in plan order
   * @param targets target names, in the order their items follow each other for one call and repeat
   * @param repeats repeats per call
   * @param idBytes ID_BYTES per item of the full expansion, in its order (calls x repeats x targets)
   * @param seeds one per (call, repeat) of the full expansion: every target of a call and repeat shares it
   * @param positions the positions in the full expansion this plan keeps, ascending; undefined: all of them
   */
  constructor(
    readonly calls: readonly DatasetCall[],
    readonly targets: readonly string[],
    readonly repeats: number,
    private readonly idBytes: Buffer,
    private readonly seeds: Uint32Array,
    private readonly positions?: Uint32Array,
  ) {}

  /** A plan of no items (a live server's run folder plans nothing ahead). */
  static empty(): Plan {
    return new Plan([], [], 1, Buffer.alloc(0), new Uint32Array(0));
  }

  get length(): number {
    return this.positions ? this.positions.length : this.idBytes.length / ID_BYTES;
  }

  /** Item i's position in the full expansion. */
  position(i: number): number {
    return this.positions ? this.positions[i] : i;
  }

  id(i: number): string {
    const at = this.position(i) * ID_BYTES;
    return this.idBytes.toString('hex', at, at + ID_BYTES);
  }

  /** Index of item i's call in `calls`. */
  callIndex(i: number): number {
    return Math.floor(this.position(i) / (this.repeats * this.targets.length));
  }

  /** Index of item i's target in `targets`. */
  targetIndex(i: number): number {
    return this.position(i) % this.targets.length;
  }

  call(i: number): DatasetCall {
    return this.calls[this.callIndex(i)];
  }

  target(i: number): string {
    return this.targets[this.targetIndex(i)];
  }

  repeat(i: number): number {
    return Math.floor(this.position(i) / this.targets.length) % this.repeats;
  }

  seed(i: number): number {
    return this.seeds[Math.floor(this.position(i) / this.targets.length)];
  }

  /** Item i as the engine and the targets take it (a fresh object: nothing keeps it but its taker). */
  item(i: number): WorkItem {
    return { id: this.id(i), call: this.call(i), target: this.target(i), repeat: this.repeat(i), seed: this.seed(i) };
  }

  *[Symbol.iterator](): Iterator<WorkItem> {
    for (let i = 0; i < this.length; i++) yield this.item(i);
  }

  /** The items `keep` accepts, in plan order (this plan itself when it accepts every one). */
  select(keep: (i: number) => boolean): Plan {
    const kept = new Uint32List(Math.max(16, Math.min(this.length, 1 << 16)));
    for (let i = 0; i < this.length; i++) if (keep(i)) kept.push(this.position(i));
    if (kept.length === this.length) return this;
    return new Plan(this.calls, this.targets, this.repeats, this.idBytes, this.seeds, kept.view().slice());
  }

  /** The indices of each target's items, in plan order (one array per entry of `targets`). */
  indicesByTarget(): Uint32Array[] {
    const counts = new Uint32Array(this.targets.length);
    for (let i = 0; i < this.length; i++) counts[this.targetIndex(i)]++;
    const lists = Array.from(counts, (n) => new Uint32Array(n));
    counts.fill(0);
    for (let i = 0; i < this.length; i++) {
      const t = this.targetIndex(i);
      lists[t][counts[t]++] = i;
    }
    return lists;
  }

  /** Index of the first item whose id is `id`, or -1 when no item of this plan has it. */
  indexOf(id: string): number {
    if (id.length !== ID_BYTES * 2 || !/^[0-9a-f]+$/.test(id)) return -1;
    return this.find(parseInt(id.slice(0, 8), 16), parseInt(id.slice(8), 16));
  }

  /** Index of the first item with the same id as item i (i itself unless two items share an id). */
  firstWithIdOf(i: number): number {
    const at = this.position(i) * ID_BYTES;
    return this.find(this.idBytes.readUInt32BE(at), this.idBytes.readUInt32BE(at + 4));
  }

  /**
   * Ids are sha256 prefixes, uniformly spread, so their low 32 bits serve as the hash: a table of 4 bytes per
   * slot at most half full (~8 MB for a million items) instead of a Map of a million strings (~60 MB).
   */
  private find(hi: number, lo: number): number {
    const slots = (this.slots ??= this.buildIndex());
    const mask = slots.length - 1;
    for (let s = lo & mask; ; s = (s + 1) & mask) {
      const v = slots[s];
      if (v === EMPTY) return -1;
      if (this.idWordsEqual(v - 1, hi, lo)) return v - 1;
    }
  }

  private idWordsEqual(i: number, hi: number, lo: number): boolean {
    const at = this.position(i) * ID_BYTES;
    return this.idBytes.readUInt32BE(at + 4) === lo && this.idBytes.readUInt32BE(at) === hi;
  }

  private buildIndex(): Uint32Array {
    let size = 16;
    while (size < this.length * 2) size *= 2;
    const slots = new Uint32Array(size);
    const mask = size - 1;
    for (let i = 0; i < this.length; i++) {
      const at = this.position(i) * ID_BYTES;
      const hi = this.idBytes.readUInt32BE(at);
      const lo = this.idBytes.readUInt32BE(at + 4);
      for (let s = lo & mask; ; s = (s + 1) & mask) {
        const v = slots[s];
        if (v === EMPTY) {
          slots[s] = i + 1;
          break;
        }
        // An id already held (two identical dataset rows): the first item keeps it, as a Set of ids did.
        if (this.idWordsEqual(v - 1, hi, lo)) break;
      }
    }
    return slots;
  }
}
