import { copyText, type CopyOut } from './copy-out.js';

/**
 * A derived column's answers by the bytes of the source cell: a cell seen before is answered
 * from here, as COPY text, without making a string of it, hashing that string in a Map and
 * encoding the answer again (for the administrative-unit code column of a million-row file these
 * were a quarter of the load). Laid out for the cache: an open-addressing table of integers and
 * one arena holding each key's bytes followed by its answer's, so a lookup touches two places in
 * memory, not the five objects (bucket, list, entry, Buffer, its bytes) a Map of Buffers had,
 * whose cache misses cost more than the hashing. Bounded: past `MAX` distinct cells, or `MAX_BYTES`
 * of them, the rest are computed each time, as is a cell longer than `MAX_KEY` bytes (no unit's name
 * is; a file of huge distinct cells must not grow the memo with them).
 */
const MAX = 20_000;
const MAX_KEY = 256;
const MAX_BYTES = 8 << 20;
/** Slots (a power of two, over three times MAX: short probe runs). */
const SLOTS = 1 << 16;
/** Per slot: hash, offset of the key in the arena, key length, answer length (-1: SQL NULL); offset 0 is an empty slot. */
const WIDTH = 4;

export class DeriveMemo {
  private readonly table = new Int32Array(SLOTS * WIDTH);
  private arena = new Uint8Array(64 * 1024);
  /** Next free byte of the arena; starts at 1 so that offset 0 means an empty slot. */
  private used = 1;
  private size = 0;
  private nullAnswer: Buffer | null | undefined;

  constructor(private readonly value: (cell: string | null) => string | null) {}

  /** Writes the answer for the cell b[s, e) (`missing`: the cell is missing, whatever its bytes) to `out`: COPY text or \N. */
  write(out: CopyOut, b: Uint8Array, s: number, e: number, missing: boolean): void {
    if (missing) {
      if (this.nullAnswer === undefined) this.nullAnswer = encode(this.value(null));
      put(out, this.nullAnswer);
      return;
    }
    const len = e - s;
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    const t = this.table;
    const a = this.arena;
    let slot = h & (SLOTS - 1);
    for (;;) {
      const at = slot * WIDTH;
      const off = t[at + 1]!;
      if (off === 0) break;
      if (t[at] === h && t[at + 2] === len && same(a, off, b, s, len)) {
        const n = t[at + 3]!;
        if (n < 0) {
          out.byte(92);
          out.byte(78);
        } else out.verbatim(a, off + len, n);
        return;
      }
      slot = (slot + 1) & (SLOTS - 1);
    }
    const answer = encode(this.value(Buffer.from(b.buffer, b.byteOffset + s, len).toString('utf8')));
    put(out, answer);
    const need = len + (answer?.length ?? 0);
    if (this.size >= MAX || len > MAX_KEY || this.used + need > MAX_BYTES) return;
    if (this.used + need > this.arena.length) this.grow(need);
    const off = this.used;
    this.arena.set(b.subarray(s, e), off);
    if (answer) this.arena.set(answer, off + len);
    this.used += need;
    const at = slot * WIDTH;
    t[at] = h;
    t[at + 1] = off;
    t[at + 2] = len;
    t[at + 3] = answer ? answer.length : -1;
    this.size++;
  }

  private grow(need: number): void {
    const next = new Uint8Array(Math.max(this.arena.length * 2, this.used + need));
    next.set(this.arena.subarray(0, this.used));
    this.arena = next;
  }
}

function encode(v: string | null): Buffer | null {
  return v === null ? null : copyText(v);
}

function put(out: CopyOut, answer: Buffer | null): void {
  if (answer === null) {
    out.byte(92);
    out.byte(78);
  } else out.verbatim(answer, 0, answer.length);
}

function same(a: Uint8Array, off: number, b: Uint8Array, s: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[off + i] !== b[s + i]) return false;
  return true;
}
