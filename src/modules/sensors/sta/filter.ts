import { bad } from './errors.js';

/**
 * The $filter language of SensorThings (OData's expressions with its function set), parsed by
 * hand: no maintained parser covers SensorThings' functions and paths. A small precedence-climbing
 * parser; the tree it builds is checked against the model and turned into SQL in sql.ts.
 */
export type Expr =
  | { k: 'lit'; v: string | number | boolean | null }
  | { k: 'time'; v: Date }
  | { k: 'geo'; wkt: string }
  | { k: 'path'; p: string[] }
  | { k: 'bin'; op: BinOp; l: Expr; r: Expr }
  | { k: 'not'; e: Expr }
  | { k: 'fn'; name: string; args: Expr[] };

export type BinOp = 'or' | 'and' | 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'add' | 'sub' | 'mul' | 'div' | 'mod';

type Tok =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'time'; v: Date }
  | { t: 'geo'; v: string }
  | { t: 'id'; v: string }
  | { t: 'p'; v: '(' | ')' | ',' };

const MAX_LENGTH = 10_000;
const MAX_DEPTH = 64;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})/;

function lex(s: string, where: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: 'p', v: c });
      i++;
      continue;
    }
    if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw bad(where, 'a string is not closed', 'chuỗi chưa được đóng');
        if (s[i] === "'") {
          if (s[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += s[i++];
      }
      out.push({ t: 'str', v });
      continue;
    }
    const time = TIME.exec(s.slice(i));
    if (time) {
      const d = new Date(time[0]);
      if (Number.isNaN(d.getTime())) throw bad(where, `"${time[0]}" is not a time`, `"${time[0]}" không phải thời điểm`);
      out.push({ t: 'time', v: d });
      i += time[0].length;
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(s.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const geo = /^(geography|geometry)'([^']*)'/i.exec(s.slice(i));
    if (geo) {
      out.push({ t: 'geo', v: geo[2]! });
      i += geo[0].length;
      continue;
    }
    const id = /^[A-Za-z_@$][\w.@$]*(?:\/[A-Za-z_@$][\w.@$]*)*/.exec(s.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw bad(where, `unexpected "${s.slice(i, i + 10)}" at position ${i + 1}`, `ký tự không mong đợi "${s.slice(i, i + 10)}" ở vị trí ${i + 1}`);
  }
  return out;
}

const LEVELS: BinOp[][] = [['or'], ['and'], ['eq', 'ne', 'gt', 'ge', 'lt', 'le'], ['add', 'sub'], ['mul', 'div', 'mod']];

/** Parses a $filter expression; a syntax error is a 400 naming the option and the place. */
export function parseFilter(s: string, where = '$filter'): Expr {
  if (s.length > MAX_LENGTH) throw bad(where, `longer than ${MAX_LENGTH} characters`, `dài hơn ${MAX_LENGTH} ký tự`);
  const toks = lex(s, where);
  let pos = 0;
  let depth = 0;
  const peek = () => toks[pos];
  const isWord = (w: string) => peek()?.t === 'id' && (peek()!.v as string).toLowerCase() === w;
  const expect = (v: string) => {
    const t = toks[pos++];
    if (!t || t.t !== 'p' || t.v !== v) throw bad(where, `expected "${v}"${t ? ` before "${String(t.v)}"` : ' at the end'}`, `thiếu "${v}"`);
  };
  const level = (n: number): Expr => {
    if (++depth > MAX_DEPTH) throw bad(where, `nested deeper than ${MAX_DEPTH}`, `lồng sâu hơn ${MAX_DEPTH}`);
    try {
      if (n === LEVELS.length) return unary();
      let l = level(n + 1);
      for (;;) {
        const op = LEVELS[n]!.find((o) => isWord(o));
        if (!op) return l;
        pos++;
        l = { k: 'bin', op, l, r: level(n + 1) };
      }
    } finally {
      depth--;
    }
  };
  const unary = (): Expr => {
    if (isWord('not')) {
      pos++;
      return { k: 'not', e: unary() };
    }
    return primary();
  };
  const primary = (): Expr => {
    const t = toks[pos++];
    if (!t) throw bad(where, 'the expression ends too early', 'biểu thức kết thúc sớm');
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'num') return { k: 'lit', v: t.v };
    if (t.t === 'time') return { k: 'time', v: t.v };
    if (t.t === 'geo') return { k: 'geo', wkt: t.v };
    if (t.t === 'p' && t.v === '(') {
      const e = level(0);
      expect(')');
      return e;
    }
    if (t.t === 'id') {
      const w = t.v.toLowerCase();
      if (w === 'true' || w === 'false') return { k: 'lit', v: w === 'true' };
      if (w === 'null') return { k: 'lit', v: null };
      if (peek()?.t === 'p' && peek()!.v === '(') {
        pos++;
        const args: Expr[] = [];
        if (!(peek()?.t === 'p' && peek()!.v === ')')) {
          args.push(level(0));
          while (peek()?.t === 'p' && peek()!.v === ',') {
            pos++;
            args.push(level(0));
          }
        }
        expect(')');
        return { k: 'fn', name: w, args };
      }
      return { k: 'path', p: t.v.split('/') };
    }
    throw bad(where, `unexpected "${String(t.v)}"`, `không mong đợi "${String(t.v)}"`);
  };
  const e = level(0);
  if (pos < toks.length) throw bad(where, `unexpected "${String(toks[pos]!.v)}" after a complete expression`, `thừa "${String(toks[pos]!.v)}" sau biểu thức`);
  return e;
}
