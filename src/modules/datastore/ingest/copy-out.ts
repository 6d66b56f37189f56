/**
 * COPY text-format bytes being built for one batch of rows. `take()` hands the bytes over and
 * starts a new buffer, sized after the last batch (the COPY stream may still hold the old one in
 * its queue).
 */
export class CopyOut {
  buf: Buffer;
  pos = 0;

  constructor(private size = 64 * 1024) {
    this.buf = Buffer.allocUnsafeSlow(size);
  }

  /** Room for `n` more bytes. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  /** A whole number ≥ 0 (the row id) as digits. */
  int(n: number): void {
    this.room(20);
    let width = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) width++;
    let p = this.pos + width;
    this.pos = p;
    do {
      this.buf[--p] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }

  /** ASCII text (canonical values). */
  ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
  }

  /** Text as COPY writes it: backslash, tab and line breaks escaped. */
  text(s: string): void {
    this.room(s.length * 3);
    const from = this.pos;
    this.pos += this.buf.write(s, this.pos, 'utf8');
    this.escapeFrom(from);
  }

  /** The bytes b[s, e) as COPY text. */
  bytes(b: Uint8Array, s: number, e: number): void {
    this.room((e - s) * 2);
    const o = this.buf;
    let p = this.pos;
    for (let i = s; i < e; i++) {
      const c = b[i]!;
      if (c === 92 || c === 9 || c === 10 || c === 13) {
        o[p++] = 92;
        o[p++] = c === 92 ? 92 : c === 9 ? 116 : c === 10 ? 110 : 114;
      } else o[p++] = c;
    }
    this.pos = p;
  }

  /** The bytes a[s, s + n), COPY text already (see `copyText`). */
  verbatim(a: Uint8Array, s: number, n: number): void {
    this.room(n);
    this.buf.set(a.subarray(s, s + n), this.pos);
    this.pos += n;
  }

  /** The number b[s, e) in PostgreSQL's form: Vietnamese style drops "." and reads "," as the point; English drops ",". */
  number(b: Uint8Array, s: number, e: number, vn: boolean): void {
    this.room(e - s);
    const o = this.buf;
    let p = this.pos;
    const group = vn ? 46 : 44;
    for (let i = b[s] === 43 ? s + 1 : s; i < e; i++) {
      const c = b[i]!;
      if (c === group) continue;
      o[p++] = c === 44 ? 46 : c;
    }
    this.pos = p;
  }

  /** The bytes written since `from`, as a string (a cell's canonical value, for the editor's checks). */
  since(from: number): string {
    return this.buf.toString('utf8', from, this.pos);
  }

  /** The batch's bytes; the next rows go to a new buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    // The next batch is likely the size of this one.
    this.size = Math.max(64 * 1024, Math.ceil(this.pos * 1.25));
    this.buf = Buffer.allocUnsafeSlow(this.size);
    this.pos = 0;
    return out;
  }

  private escapeFrom(from: number): void {
    let needs = false;
    for (let i = from; i < this.pos; i++) {
      const c = this.buf[i]!;
      if (c === 92 || c === 9 || c === 10 || c === 13) {
        needs = true;
        break;
      }
    }
    if (!needs) return;
    const raw = Buffer.from(this.buf.subarray(from, this.pos));
    this.pos = from;
    this.bytes(raw, 0, raw.length);
  }
}

/** Text as COPY writes it (backslash, tab and line breaks escaped), as bytes to keep. */
export function copyText(s: string): Buffer {
  const out = new CopyOut(s.length * 3 + 16);
  out.text(s);
  return Buffer.from(out.buf.subarray(0, out.pos));
}
