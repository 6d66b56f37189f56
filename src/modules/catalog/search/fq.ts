/**
 * The Solr query subset CKAN clients and harvesters send in `fq` (and in `q` as field queries):
 * `field:value`, `field:"quoted value"`, `field:(a OR b)`, `A OR B`, `A AND B`, implicit AND,
 * `-field:value`, `NOT field:value`, `+field:value`, parentheses, `*:*`, `field:*`, ranges
 * `[a TO b]` / `{a TO b}` with `*` and `NOW[±N UNIT][/UNIT]` on the date fields.
 * Pure: no database; the SQL is built from the tree in sql.ts.
 */

export const FQ_FIELDS = [
  'organization',
  'owner_org',
  'groups',
  'tags',
  'res_format',
  'license_id',
  'name',
  'id',
  'title',
  'access_level',
  'spatial_codes',
  'shared_db',
  'capacity',
  'state',
  'dataset_type',
  'metadata_modified',
  'metadata_created',
  'harvest_source_id',
  'text',
] as const;
export type FqField = (typeof FQ_FIELDS)[number];

const ALIASES: Record<string, FqField> = { type: 'dataset_type', license: 'license_id', res_format_s: 'res_format', tags_s: 'tags' };
export const DATE_FIELDS: readonly FqField[] = ['metadata_modified', 'metadata_created'];

export type FqNode =
  | { op: 'all' }
  | { op: 'and'; args: FqNode[] }
  | { op: 'or'; args: FqNode[] }
  | { op: 'not'; arg: FqNode }
  /** `value` is unescaped; `prefix` when it ended in an unquoted `*`; `any` for `field:*`. */
  | { op: 'term'; field: FqField; value: string; quoted: boolean; prefix?: boolean; any?: boolean }
  | { op: 'range'; field: FqField; lo: Date | null; hi: Date | null; loInclusive: boolean; hiInclusive: boolean };

export class FqError extends Error {
  constructor(
    message: string,
    readonly vi: string,
  ) {
    super(message);
    this.name = 'FqError';
  }
}

export const resolveField = (name: string): FqField | undefined => ((FQ_FIELDS as readonly string[]).includes(name) ? (name as FqField) : ALIASES[name]);

type Tok =
  | { t: 'lp' | 'rp' | 'and' | 'or' | 'not' | 'plus' | 'minus' }
  | { t: 'word'; v: string; prefix: boolean; star: boolean }
  | { t: 'quoted'; v: string }
  | { t: 'field'; v: string }
  | { t: 'range'; lo: string; hi: string; loInclusive: boolean; hiInclusive: boolean };

const SPECIAL = new Set(['(', ')', '"', '[', ']', '{', '}', ':', ' ', '\t', '\n', '\r']);

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ t: c === '(' ? 'lp' : 'rp' });
      i++;
      continue;
    }
    if (c === '[' || c === '{') {
      const end = s.slice(i + 1).search(/[\]}]/);
      if (end < 0) throw new FqError('Unterminated range', 'Khoảng chưa được đóng');
      const body = s.slice(i + 1, i + 1 + end).trim();
      const m = /^(\S+)\s+TO\s+(\S+)$/.exec(body);
      if (!m) throw new FqError('Range must be [from TO to]', 'Khoảng phải có dạng [từ TO đến]');
      const close = s[i + 1 + end]!;
      out.push({ t: 'range', lo: m[1]!.replace(/^"|"$/g, ''), hi: m[2]!.replace(/^"|"$/g, ''), loInclusive: c === '[', hiInclusive: close === ']' });
      i += end + 2;
      continue;
    }
    if (c === ']' || c === '}') throw new FqError(`Unexpected character '${c}'`, `Ký tự không hợp lệ '${c}'`);
    if (c === '"') {
      let v = '';
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        v += s[i];
        i++;
      }
      if (i >= s.length) throw new FqError('Unterminated quoted value', 'Thiếu dấu ngoặc kép đóng');
      i++;
      out.push({ t: 'quoted', v });
      continue;
    }
    // + and - only as operators at the start of a clause (not inside words like 2024-01-01).
    if ((c === '+' || c === '-') && i + 1 < s.length && !/\s/.test(s[i + 1]!)) {
      out.push({ t: c === '+' ? 'plus' : 'minus' });
      i++;
      continue;
    }
    if (c === '!' && i + 1 < s.length && !/\s/.test(s[i + 1]!)) {
      out.push({ t: 'not' });
      i++;
      continue;
    }
    if (c === '&' && s[i + 1] === '&') {
      out.push({ t: 'and' });
      i += 2;
      continue;
    }
    if (c === '|' && s[i + 1] === '|') {
      out.push({ t: 'or' });
      i += 2;
      continue;
    }
    let v = '';
    let raw = '';
    // After `field:` a value may itself contain ':' (times, URNs).
    const afterField = out[out.length - 1]?.t === 'field';
    while (i < s.length && (!SPECIAL.has(s[i]!) || (afterField && s[i] === ':' && v !== ''))) {
      if (s[i] === '\\' && i + 1 < s.length) {
        raw += s[i]! + s[i + 1]!;
        v += s[i + 1];
        i += 2;
        continue;
      }
      raw += s[i];
      v += s[i];
      i++;
    }
    if (s[i] === ':' && v !== '' && !afterField) {
      out.push({ t: 'field', v });
      i++;
      continue;
    }
    if (v === '') throw new FqError(`Unexpected character '${c}'`, `Ký tự không hợp lệ '${c}'`);
    if (raw === 'AND') out.push({ t: 'and' });
    else if (raw === 'OR') out.push({ t: 'or' });
    else if (raw === 'NOT') out.push({ t: 'not' });
    else
      out.push({
        t: 'word',
        v: raw.endsWith('*') && !raw.endsWith('\\*') ? v.slice(0, -1) : v,
        prefix: raw.endsWith('*') && !raw.endsWith('\\*'),
        star: raw === '*',
      });
  }
  return out;
}

const UNITS: Record<string, string> = {
  YEAR: 'year',
  YEARS: 'year',
  MONTH: 'month',
  MONTHS: 'month',
  DAY: 'day',
  DAYS: 'day',
  DATE: 'day',
  HOUR: 'hour',
  HOURS: 'hour',
  MINUTE: 'minute',
  MINUTES: 'minute',
  SECOND: 'second',
  SECONDS: 'second',
};

function addUnit(d: Date, unit: string, n: number): Date {
  const r = new Date(d);
  switch (unit) {
    case 'year':
      r.setUTCFullYear(r.getUTCFullYear() + n);
      break;
    case 'month':
      r.setUTCMonth(r.getUTCMonth() + n);
      break;
    case 'day':
      r.setUTCDate(r.getUTCDate() + n);
      break;
    case 'hour':
      r.setUTCHours(r.getUTCHours() + n);
      break;
    case 'minute':
      r.setUTCMinutes(r.getUTCMinutes() + n);
      break;
    default:
      r.setUTCSeconds(r.getUTCSeconds() + n);
  }
  return r;
}

function roundDown(d: Date, unit: string): Date {
  const parts = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
  const keep = { year: 1, month: 2, day: 3, hour: 4, minute: 5, second: 6 }[unit] ?? 6;
  const p = parts.map((x, i) => (i < keep ? x : i === 2 ? 1 : 0));
  return new Date(Date.UTC(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!));
}

/** A Solr date: ISO 8601 (Z optional), a bare date, or NOW with date math (NOW-1DAY, NOW/DAY+1DAY). */
export function parseSolrDate(s: string, now: Date = new Date()): Date {
  const bad = () => new FqError(`Invalid date '${s}'`, `Ngày không hợp lệ '${s}'`);
  const m = /^(NOW|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?Z?)((?:[+\-/]\d*[A-Z]+)*)$/.exec(s);
  if (!m) throw bad();
  let base: Date;
  if (m[1] === 'NOW') base = new Date(now);
  else {
    let iso = m[1]!;
    if (iso.endsWith('Z')) iso = iso.slice(0, -1);
    const [datePart, timePart] = iso.split('T');
    const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(datePart!);
    if (!dm) throw bad();
    const [y, mo, da] = [Number(dm[1]), Number(dm[2]), Number(dm[3])];
    const tm = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(timePart ?? '00:00:00');
    if (!tm) throw bad();
    const ms = tm[4] ? Math.round(Number(`0.${tm[4]}`) * 1000) : 0;
    base = new Date(Date.UTC(y, mo - 1, da, Number(tm[1]), Number(tm[2]), Number(tm[3] ?? 0), ms));
    if (base.getUTCMonth() !== mo - 1 || base.getUTCDate() !== da || Number(tm[1]) > 23 || Number(tm[2]) > 59 || Number(tm[3] ?? 0) > 59) throw bad();
  }
  for (const op of m[2]!.match(/[+\-/]\d*[A-Z]+/g) ?? []) {
    const om = /^([+\-/])(\d*)([A-Z]+)$/.exec(op)!;
    const unit = UNITS[om[3]!];
    if (!unit) throw bad();
    if (om[1] === '/') {
      if (om[2]) throw bad();
      base = roundDown(base, unit);
    } else {
      if (!om[2]) throw bad();
      base = addUnit(base, unit, (om[1] === '-' ? -1 : 1) * Number(om[2]));
    }
  }
  if (Number.isNaN(base.getTime())) throw bad();
  return base;
}

interface ParseOptions {
  /** Unknown `field:` names: throw (fq) or return undefined so the caller treats the text as free text (q). */
  strictFields: boolean;
  now?: Date;
}

/** Bounds on what one query may cost to parse (deeper or longer input is refused, not attempted). */
export const MAX_QUERY_LENGTH = 4000;
export const MAX_QUERY_TOKENS = 400;
export const MAX_QUERY_DEPTH = 32;

class Parser {
  private i = 0;
  private depth = 0;
  /** Bare words (no field) seen: q uses them as free text. */
  readonly freeText: string[] = [];
  fieldCount = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly opts: ParseOptions,
  ) {}

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private next(): Tok | undefined {
    return this.toks[this.i++];
  }
  private fail(en: string, vi: string): never {
    throw new FqError(en, vi);
  }

  parse(): FqNode {
    if (this.toks.length === 0) return { op: 'all' };
    const n = this.or();
    if (this.i < this.toks.length) this.fail('Unexpected token after the end of the query', 'Truy vấn có phần thừa không hiểu được');
    return n;
  }

  /** Runs `fn` one level deeper (parentheses, NOT, -), refusing queries nested beyond MAX_QUERY_DEPTH. */
  private nested<T>(fn: () => T): T {
    if (++this.depth > MAX_QUERY_DEPTH)
      this.fail(`Query nested too deeply (at most ${MAX_QUERY_DEPTH} levels)`, `Truy vấn lồng quá sâu (tối đa ${MAX_QUERY_DEPTH} cấp)`);
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private or(): FqNode {
    const args = [this.and()];
    while (this.peek()?.t === 'or') {
      this.next();
      args.push(this.and());
    }
    return args.length === 1 ? args[0]! : { op: 'or', args };
  }

  private and(): FqNode {
    const args = [this.unary()];
    for (;;) {
      const p = this.peek();
      if (!p || p.t === 'rp' || p.t === 'or') break;
      if (p.t === 'and') this.next();
      args.push(this.unary());
    }
    return args.length === 1 ? args[0]! : { op: 'and', args };
  }

  private unary(): FqNode {
    const p = this.peek();
    if (!p) this.fail('Incomplete query', 'Truy vấn chưa hoàn chỉnh');
    if (p.t === 'not' || p.t === 'minus') {
      this.next();
      return { op: 'not', arg: this.nested(() => this.unary()) };
    }
    if (p.t === 'plus') {
      this.next();
      return this.unary();
    }
    return this.primary();
  }

  private primary(): FqNode {
    const p = this.next();
    if (!p) this.fail('Incomplete query', 'Truy vấn chưa hoàn chỉnh');
    if (p.t === 'lp') {
      const n = this.nested(() => this.or());
      if (this.next()?.t !== 'rp') this.fail('Missing closing parenthesis', 'Thiếu dấu ngoặc đóng');
      return n;
    }
    if (p.t === 'field') {
      if (p.v === '*') {
        const v = this.next();
        if (v?.t !== 'word' || !v.star) this.fail('Only *:* may use the * field', 'Chỉ dùng được *:* với trường *');
        return { op: 'all' };
      }
      const field = resolveField(p.v);
      if (!field) {
        if (this.opts.strictFields) this.fail(`Unknown field '${p.v}'`, `Trường không được hỗ trợ '${p.v}'`);
        // q: "foo:bar" with an unknown field is plain text.
        const v = this.value('text');
        if (v.op === 'term') v.value = `${p.v} ${v.value}`;
        return v;
      }
      this.fieldCount++;
      return this.value(field);
    }
    if (p.t === 'word' || p.t === 'quoted') {
      this.i--;
      return this.value('text');
    }
    return this.fail('Unexpected token in query', 'Truy vấn không đúng cú pháp');
  }

  private value(field: FqField): FqNode {
    const v = this.next();
    if (!v) this.fail(`Missing value for '${field}'`, `Thiếu giá trị cho '${field}'`);
    if (v.t === 'quoted') {
      if (field === 'text') this.freeText.push(v.v);
      return { op: 'term', field, value: v.v, quoted: true };
    }
    if (v.t === 'word') {
      if (v.star) return { op: 'term', field, value: '', quoted: false, any: true };
      if (field === 'text') this.freeText.push(v.v);
      return v.prefix ? { op: 'term', field, value: v.v, quoted: false, prefix: true } : { op: 'term', field, value: v.v, quoted: false };
    }
    if (v.t === 'lp') {
      // field:(a OR b c): the group applies the field to each value.
      const n = this.nested(() => this.group(field));
      if (this.next()?.t !== 'rp') this.fail('Missing closing parenthesis', 'Thiếu dấu ngoặc đóng');
      return n;
    }
    if (v.t === 'range') return this.range(field, v);
    return this.fail(`Missing value for '${field}'`, `Thiếu giá trị cho '${field}'`);
  }

  private group(field: FqField): FqNode {
    const ors: FqNode[] = [];
    let ands: FqNode[] = [];
    const item = (): FqNode => {
      const p = this.peek();
      if (p?.t === 'not' || p?.t === 'minus') {
        this.next();
        return { op: 'not', arg: this.nested(item) };
      }
      if (p?.t === 'plus') this.next();
      return this.value(field);
    };
    for (;;) {
      const p = this.peek();
      if (!p || p.t === 'rp') break;
      if (p.t === 'or') {
        this.next();
        ors.push(ands.length === 1 ? ands[0]! : { op: 'and', args: ands });
        ands = [];
        continue;
      }
      if (p.t === 'and') {
        this.next();
        continue;
      }
      ands.push(item());
    }
    if (ands.length === 0) this.fail(`Empty group for '${field}'`, `Nhóm giá trị rỗng cho '${field}'`);
    ors.push(ands.length === 1 ? ands[0]! : { op: 'and', args: ands });
    return ors.length === 1 ? ors[0]! : { op: 'or', args: ors };
  }

  private bound(v: string): Date | null {
    return v === '*' ? null : parseSolrDate(v, this.opts.now);
  }

  private range(field: FqField, r: { lo: string; hi: string; loInclusive: boolean; hiInclusive: boolean }): FqNode {
    if (!DATE_FIELDS.includes(field))
      this.fail(`Ranges are only supported on dates, not on '${field}'`, `Chỉ hỗ trợ khoảng cho trường ngày, không cho '${field}'`);
    return { op: 'range', field, lo: this.bound(r.lo), hi: this.bound(r.hi), loInclusive: r.loInclusive, hiInclusive: r.hiInclusive };
  }
}

export interface ParsedQuery {
  node: FqNode;
  /** Number of `field:` clauses with known fields. */
  fieldCount: number;
  /** Bare words and quoted phrases without a field, in order. */
  freeText: string[];
}

export function parseSolr(s: string, opts: ParseOptions = { strictFields: true }): ParsedQuery {
  if (s.length > MAX_QUERY_LENGTH)
    throw new FqError(`Query too long (at most ${MAX_QUERY_LENGTH} characters)`, `Truy vấn quá dài (tối đa ${MAX_QUERY_LENGTH} ký tự)`);
  const toks = tokenize(s.normalize('NFC'));
  if (toks.length > MAX_QUERY_TOKENS)
    throw new FqError(`Query has too many terms (at most ${MAX_QUERY_TOKENS})`, `Truy vấn có quá nhiều thành phần (tối đa ${MAX_QUERY_TOKENS})`);
  const p = new Parser(toks, opts);
  const node = p.parse();
  return { node, fieldCount: p.fieldCount, freeText: p.freeText };
}

/** Parses one fq string (strict: unknown fields are errors). */
export const parseFq = (s: string, now?: Date): FqNode => parseSolr(s, { strictFields: true, now }).node;

/** Fields the tree reads, to pick a cheaper plan when only access-signature fields are used. */
export function fieldsOf(n: FqNode, out = new Set<FqField>()): Set<FqField> {
  if (n.op === 'and' || n.op === 'or') n.args.forEach((a) => fieldsOf(a, out));
  else if (n.op === 'not') fieldsOf(n.arg, out);
  else if (n.op === 'term' || n.op === 'range') out.add(n.field);
  return out;
}
