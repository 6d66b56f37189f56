/**
 * Rows of delimited text (RFC 4180: fields quoted with ", "" for a quote inside, CRLF or LF or
 * CR line ends), read as byte ranges inside the decoded chunk: no string and no array per row,
 * the loader's hot path. Written by hand because the parsers on npm (papaparse, csv-parse) give
 * every row as an array of strings, which costs more than the rest of the load together (see
 * bench/results.jsonl); their leniencies are kept: a quote inside an unquoted field is a quote,
 * a quote in a quoted field not followed by the delimiter or a line end is a quote, and an
 * unclosed quote runs to the end of the file.
 */
export class CsvScanner {
  /** The current row's cells: b[starts[i], ends[i]) with quotes removed. */
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  count = 0;
  buf: Buffer = Buffer.alloc(0);
  private at = 0;
  private final = false;
  private readonly escaped: number[] = [];

  constructor(private readonly delimiter: number) {}

  /** Scans `buf` from its start; `final` when no bytes follow it (the last row may lack its line end). */
  reset(buf: Buffer, final: boolean): void {
    this.buf = buf;
    this.at = 0;
    this.final = final;
  }

  /** The bytes not yet read as a row (an incomplete last row), to put before the next chunk. */
  rest(): Buffer {
    return this.buf.subarray(this.at);
  }

  /** Reads the next whole row into `starts`/`ends`/`count`; false when none is left in this chunk. */
  next(): boolean {
    const b = this.buf;
    const n = b.length;
    const d = this.delimiter;
    let i = this.at;
    if (i >= n) return false;
    let count = 0;
    this.escaped.length = 0;
    for (;;) {
      if (count === this.starts.length) this.grow();
      let c = b[i];
      if (c === 34) {
        // quoted: up to the quote followed by the delimiter, a line end or the end
        const start = i + 1;
        let j = start;
        let esc = false;
        for (;;) {
          j = b.indexOf(34, j);
          if (j < 0) {
            if (!this.final) return false;
            j = n;
            break;
          }
          const after = j + 1 < n ? b[j + 1] : -1;
          if (after === 34) {
            esc = true;
            j += 2;
            continue;
          }
          if (after === d || after === 10 || after === 13) break;
          if (after === -1) {
            if (!this.final) return false;
            break;
          }
          esc = true; // a stray quote, kept as written
          j++;
        }
        this.starts[count] = start;
        this.ends[count] = j;
        if (esc) this.escaped.push(count);
        count++;
        i = j < n ? j + 1 : n;
      } else {
        const start = i;
        while (i < n && c !== d && c !== 10 && c !== 13) c = b[++i];
        this.starts[count] = start;
        this.ends[count] = i;
        count++;
      }
      if (i >= n) {
        if (!this.final) return false;
        break;
      }
      c = b[i];
      if (c === d) {
        i++;
        if (i >= n && !this.final) return false;
        continue;
      }
      if (c === 13) {
        if (i + 1 >= n && !this.final) return false;
        i += b[i + 1] === 10 ? 2 : 1;
      } else if (c === 10) i++;
      break;
    }
    this.at = i;
    this.count = count;
    for (const e of this.escaped) this.unescape(e);
    return true;
  }

  /** The current row's cells as strings (the first rows, for the header and the sample). */
  strings(): string[] {
    const out = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.buf.toString('utf8', this.starts[i], this.ends[i]);
    return out;
  }

  /** "" → " inside a quoted cell, in place (the row is whole, so its bytes are not read again). */
  private unescape(cell: number): void {
    const b = this.buf;
    let w = this.starts[cell]!;
    const e = this.ends[cell]!;
    for (let r = w; r < e; r++) {
      b[w++] = b[r]!;
      if (b[r] === 34 && b[r + 1] === 34 && r + 1 < e) r++;
    }
    this.ends[cell] = w;
  }

  private grow(): void {
    const s = new Int32Array(this.starts.length * 2);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(this.ends.length * 2);
    e.set(this.ends);
    this.ends = e;
  }
}
