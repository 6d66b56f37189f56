import { Transform, type TransformCallback } from 'node:stream';

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const HEAD = Buffer.from('_id,');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const WITH_BOM = Buffer.concat([BOM, HEAD]);
const startsWith = (b: Buffer, p: Buffer) => b.length >= p.length && b.subarray(0, p.length).equals(p);
const prefixOf = (b: Buffer, p: Buffer) => b.length < p.length && p.subarray(0, b.length).equals(b);

/** Whether the first bytes are `_id,` (after a BOM or not), or too few yet to tell. */
function headOf(b: Buffer): 'plain' | 'bom' | 'no' | 'wait' {
  if (startsWith(b, HEAD)) return 'plain';
  if (startsWith(b, WITH_BOM)) return 'bom';
  return prefixOf(b, HEAD) || prefixOf(b, WITH_BOM) ? 'wait' : 'no';
}

/**
 * A CKAN datastore dump starts every record with the source's own row id (`_id`, an integer): the
 * mirror keys its rows itself, so that first column is cut from the CSV as it streams. Only a
 * file whose header starts with `_id,` is changed (`stripped` says whether it was); the state
 * machine follows quotes, so a newline inside a quoted cell does not start a record. Written by
 * hand: a CSV parser and writer would re-encode every cell for the sake of one integer.
 */
export class StripRowIds extends Transform {
  stripped = false;
  private head: Buffer | null = Buffer.alloc(0);
  private skipping = true;
  private quoted = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.head) {
      // The first bytes decide: a BOM is kept, then `_id,` or not.
      this.head = Buffer.concat([this.head, chunk]);
      const verdict = headOf(this.head);
      if (verdict === 'wait') return done();
      chunk = this.head;
      this.head = null;
      this.stripped = verdict !== 'no';
      if (!this.stripped) return done(null, chunk);
      const bom = verdict === 'bom' ? 3 : 0;
      this.push(chunk.subarray(0, bom));
      chunk = chunk.subarray(bom);
    }
    if (!this.stripped) return done(null, chunk);
    const out = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.skipping) {
        // A record of the id alone: its line end is kept, and the next record is skipped into too.
        if (b === COMMA) this.skipping = false;
        else if (b === LF) out[n++] = b;
        continue;
      }
      out[n++] = b;
      if (b === QUOTE) this.quoted = !this.quoted;
      else if (b === LF && !this.quoted) this.skipping = true;
    }
    done(null, out.subarray(0, n));
  }

  override _flush(done: TransformCallback): void {
    // A file shorter than `_id,`: passed on as it came.
    if (this.head?.length) this.push(this.head);
    done();
  }
}
