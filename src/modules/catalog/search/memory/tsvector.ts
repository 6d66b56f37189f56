/**
 * A tsvector as the in-memory index keeps it, inside a document's one Int32Array: `n` sorted term
 * ids at `t`, `n + 1` offsets at `s` into the positions at `p` (`position << 2 | weight`, weight
 * 3 = A … 0 = D, as PostgreSQL stores them). One buffer per document keeps the heap small.
 */
export interface Vec {
  buf: Int32Array;
  t: number;
  n: number;
  s: number;
  p: number;
  /** number of positions (the document length ts_rank_cd normalises by) */
  length: number;
}

const WEIGHT: Record<string, number> = { A: 3, B: 2, C: 1, D: 0 };
const ENTRY = /'((?:[^']|'')*)'(?::([0-9A-D,]+))?/g;

export type Parsed = [number, number[]][];

/** Parses PostgreSQL's text output of a tsvector (`'lexeme':1A,5 'other':3`), interning lexemes. */
export function parseTsvector(text: string, intern: (lexeme: string) => number): Parsed {
  const entries: Parsed = [];
  for (const m of text.matchAll(ENTRY)) {
    const positions = (m[2] ?? '')
      .split(',')
      .filter(Boolean)
      .map((p) => {
        const w = WEIGHT[p[p.length - 1]!];
        return w === undefined ? Number(p) << 2 : (Number(p.slice(0, -1)) << 2) | w;
      });
    entries.push([intern(m[1]!.includes("''") ? m[1]!.replace(/''/g, "'") : m[1]!), positions]);
  }
  return entries.sort((a, b) => a[0] - b[0]);
}

/** Int32s a parsed vector takes in the buffer: its length, terms, offsets, positions. */
export const vecSize = (v: Parsed): number => 1 + v.length * 2 + 1 + v.reduce((n, [, p]) => n + p.length, 0);

/** Reads the vector written at `at` into `out` (no allocation); returns the offset after it. */
export function readVec(buf: Int32Array, at: number, out: Vec): number {
  const n = buf[at]!;
  out.buf = buf;
  out.n = n;
  out.t = at + 1;
  out.s = at + 1 + n;
  out.p = at + 2 + 2 * n;
  out.length = buf[out.s + n]!;
  return out.p + out.length;
}

/** Writes a parsed vector at `at` and returns its view. */
export function writeVec(buf: Int32Array, at0: number, v: Parsed): Vec {
  const n = v.length;
  buf[at0] = n;
  const at = at0 + 1;
  const s = at + n;
  const p = s + n + 1;
  let k = 0;
  v.forEach(([term, positions], i) => {
    buf[at + i] = term;
    buf[s + i] = k;
    for (const x of positions) buf[p + k++] = x;
  });
  buf[s + n] = k;
  return { buf, t: at, n, s, p, length: k };
}

/** Index of term `x` among the vector's terms, or -1. */
export function termIndex(v: Vec, x: number): number {
  let lo = 0;
  let hi = v.n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const y = v.buf[v.t + mid]!;
    if (y === x) return mid;
    if (y < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Term indices of the query in the current document (queries longer than 64 syllables are cut). */
const scratchA = new Int32Array(64);
const scratchB = new Int32Array(64);

/** Looks every term up once into `into`; false when one is missing. */
function lookup(v: Vec, terms: number[], into: Int32Array): boolean {
  for (let j = 0; j < terms.length && j < into.length; j++) {
    const i = termIndex(v, terms[j]!);
    if (i < 0) return false;
    into[j] = i;
  }
  return true;
}

/** Phrase check over terms already looked up (`idx[j]` is the index of the j-th term). */
function phraseAt(v: Vec, idx: Int32Array, m: number): boolean {
  if (m === 1) return true;
  const b = v.buf;
  const first = idx[0]!;
  for (let a = v.p + b[v.s + first]!, end = v.p + b[v.s + first + 1]!; a < end; a++) {
    const p0 = b[a]! >> 2;
    let ok = true;
    for (let j = 1; j < m && ok; j++) {
      const i = idx[j]!;
      ok = false;
      for (let c = v.p + b[v.s + i]!, e = v.p + b[v.s + i + 1]!; c < e; c++) {
        if (b[c]! >> 2 === p0 + j) {
          ok = true;
          break;
        }
      }
    }
    if (ok) return true;
  }
  return false;
}

/** ts_rank_cd's weights as the SQL path passes them: D, C, B, A. */
const RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0];

/** 'all': every syllable matched; 'corrected': spellings of unknown ones; 'any': some syllable (the SQL fallbacks). */
export type ScoreMode = 'all' | 'corrected' | 'any';

/**
 * The score tiers of one matching document in one pass (each term looked up once):
 * 10 when the folded syllables form the phrase (and there are several; not in 'any'), 4 when the
 * exact (accented) ones do, 2 when every exact one occurs (4 in the fallbacks, as in SQL), plus the term weight by field normalised by
 * document length: the mean over query terms of the best weight of their occurrences (title 1.0,
 * tags 0.4, description 0.2, other 0.1), divided by 1 + ln(length). That last part, in [0, 1],
 * stands in for ts_rank_cd and only orders within a tier.
 */
export function scoreOf(folded: Vec, terms: number[], exact: Vec, exactTerms: number[] | null, mode: ScoreMode = 'all'): number {
  const m = Math.min(terms.length, scratchA.length);
  let score = 0;
  let all = true;
  let sum = 0;
  for (let j = 0; j < m; j++) {
    const i = termIndex(folded, terms[j]!);
    scratchA[j] = i;
    if (i < 0) {
      all = false;
      continue;
    }
    let best = 0;
    for (let a = folded.p + folded.buf[folded.s + i]!, end = folded.p + folded.buf[folded.s + i + 1]!; a < end; a++) {
      const w = RANK_WEIGHTS[folded.buf[a]! & 3]!;
      if (w > best) best = w;
    }
    sum += best;
  }
  if (mode !== 'any' && all && m > 1 && phraseAt(folded, scratchA, m)) score += 10;
  if (m > 0) score += sum / m / (1 + Math.log(Math.max(1, folded.length)));
  if (exactTerms && lookup(exact, exactTerms, scratchB)) {
    score += mode === 'all' ? 2 + (phraseAt(exact, scratchB, Math.min(exactTerms.length, scratchB.length)) ? 4 : 0) : 4;
  }
  return score;
}
