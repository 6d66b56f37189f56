/**
 * Values computed from a cell, remembered by the cell's bytes: a column of unit names repeats a
 * few thousand names over a million rows, so the derived code is looked up without making a
 * string per row (FNV-1a over the bytes, then a byte comparison). Past `max` distinct cells it
 * stops remembering and the caller computes as before.
 */
export class ByteMemo<V> {
  private readonly map = new Map<number, { key: Buffer; value: V }[]>();
  private size = 0;

  constructor(private readonly max = 10_000) {}

  static hash(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    return h >>> 0;
  }

  /** The remembered value for b[s, e) (hashed as `h`), or `undefined`. */
  get(b: Buffer, s: number, e: number, h: number): { value: V } | undefined {
    const list = this.map.get(h);
    if (!list) return undefined;
    const len = e - s;
    for (const x of list) if (x.key.length === len && b.compare(x.key, 0, len, s, e) === 0) return x;
    return undefined;
  }

  set(b: Buffer, s: number, e: number, h: number, value: V): void {
    if (this.size >= this.max) return;
    this.size++;
    const entry = { key: Buffer.from(b.subarray(s, e)), value };
    const list = this.map.get(h);
    if (list) list.push(entry);
    else this.map.set(h, [entry]);
  }
}
