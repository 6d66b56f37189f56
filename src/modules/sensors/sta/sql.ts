import { sql, type RawBuilder } from 'kysely';
import { bad } from './errors.js';
import { GEO_FUNCTIONS, geoLiteral } from './geo.js';
import type { BinOp, Expr } from './filter.js';
import { ENTITIES, type EntityDef, type SetName } from './model.js';
import type { Step } from './path.js';

type Sql = RawBuilder<unknown>;
type Kind = 'num' | 'text' | 'bool' | 'time' | 'json' | 'null' | 'geom';
interface Typed {
  s: Sql;
  t: Kind;
}

let aliases = 0;
/** A fresh table alias (identifiers come from the model, never from the request). */
export const alias = () => `t${(aliases = (aliases + 1) % 1e6)}`;
const col = (a: string, c: string) => sql.ref(`${a}.${c}`);
const table = (d: EntityDef) => sql.table(d.table);

/** A condition on alias `a` of the path's last set: the rows the path names. */
export function pathCondition(steps: Step[], a: string): Sql {
  const last = steps.at(-1)!;
  const parts: Sql[] = [];
  if (last.id !== undefined) parts.push(sql`${col(a, 'id')} = ${last.id}`);
  if (steps.length > 1) {
    const prev = steps.at(-2)!;
    const pd = ENTITIES[prev.set];
    const link = pd.links[last.link!]!;
    // `/Datastreams(7)/Observations`: the parent's id is the back reference itself — a plain
    // equality, which the (datastream, time) index and partition pruning serve directly.
    if (steps.length === 2 && prev.id !== undefined && 'back' in link) {
      parts.push(sql`${col(a, link.back)} = ${prev.id}`);
      return sql.join(parts, sql` and `);
    }
    const p = alias();
    const inner = pathCondition(steps.slice(0, -1), p);
    if (link.one) parts.push(sql`${col(a, 'id')} in (select ${col(p, link.fk)} from ${table(pd)} as ${sql.id(p)} where ${inner})`);
    else if ('back' in link) parts.push(sql`${col(a, link.back)} in (select ${col(p, 'id')} from ${table(pd)} as ${sql.id(p)} where ${inner})`);
    else {
      const v = alias();
      parts.push(
        sql`${col(a, 'id')} in (select ${col(v, link.via.other)} from ${sql.table(link.via.table)} as ${sql.id(v)} where ${col(v, link.via.self)} in (select ${col(p, 'id')} from ${table(pd)} as ${sql.id(p)} where ${inner}))`,
      );
    }
  }
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** The SQL of an $orderby path on alias `a`. */
export const orderSql = (set: SetName, a: string, path: string[]): Sql => {
  const p = property(ENTITIES[set], a, path[0]!, path.slice(1), '$orderby');
  return p.t === 'json' ? sql`${p.s}` : p.s;
};

/** The column (or start column, for an interval) behind a property, typed. */
function property(d: EntityDef, a: string, name: string, rest: string[], where: string): Typed {
  if (name === 'id' || name === '@iot.id') return { s: col(a, 'id'), t: 'num' };
  const p = d.props[name];
  if (p) {
    if (p.kind === 'json') {
      if (d.set === 'Observations' && name === 'result' && !rest.length) return { s: col(a, 'result'), t: 'json' };
      return rest.length ? { s: sql`${col(a, p.column)} #> ${`{${rest.join(',')}}`}::text[]`, t: 'json' } : { s: col(a, p.column), t: 'json' };
    }
    if (rest.length) throw bad(where, `${name} has no parts`, `${name} không có thành phần con`);
    if (p.kind === 'interval') return { s: col(a, `${p.column}_start`), t: 'time' };
    return { s: col(a, p.column), t: p.kind === 'time' ? 'time' : p.kind === 'number' ? 'num' : 'text' };
  }
  const link = d.links[name];
  if (link?.one && rest.length) {
    const td = ENTITIES[link.target];
    const x = alias();
    const inner = property(td, x, rest[0]!, rest.slice(1), where);
    return { s: sql`(select ${inner.s} from ${table(td)} as ${sql.id(x)} where ${col(x, 'id')} = ${col(a, link.fk)})`, t: inner.t };
  }
  if (link) throw bad(where, `${name} leads to many entities: a filter path goes through single links only`, `${name} dẫn tới nhiều thực thể`);
  throw bad(where, `${d.set} has no property "${name}"`, `${d.set} không có thuộc tính "${name}"`);
}

/** A JSON value seen as `t`: numbers, strings and booleans compare by their type (another type is null, never an error). */
function asKind(x: Typed, t: Kind): Sql {
  if (x.t !== 'json') return x.s;
  if (t === 'num') return sql`(case when jsonb_typeof(${x.s}) = 'number' then (${x.s} #>> '{}')::float8 end)`;
  if (t === 'bool') return sql`(case when jsonb_typeof(${x.s}) = 'boolean' then (${x.s} #>> '{}')::boolean end)`;
  return sql`(${x.s} #>> '{}')`;
}

const CMP: Partial<Record<BinOp, string>> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };
const ARITH: Partial<Record<BinOp, string>> = { add: '+', sub: '-', mul: '*', div: '/', mod: '%' };

const fn1 = (name: string) => (f: (x: Sql) => Sql, t: Kind, argT: Kind) => ({ name, f, t, argT });
const ONE_ARG = [
  fn1('length')((x) => sql`length(${x})`, 'num', 'text'),
  fn1('tolower')((x) => sql`lower(${x})`, 'text', 'text'),
  fn1('toupper')((x) => sql`upper(${x})`, 'text', 'text'),
  fn1('trim')((x) => sql`btrim(${x})`, 'text', 'text'),
  fn1('year')((x) => sql`extract(year from ${x} at time zone 'UTC')::float8`, 'num', 'time'),
  fn1('month')((x) => sql`extract(month from ${x} at time zone 'UTC')::float8`, 'num', 'time'),
  fn1('day')((x) => sql`extract(day from ${x} at time zone 'UTC')::float8`, 'num', 'time'),
  fn1('hour')((x) => sql`extract(hour from ${x} at time zone 'UTC')::float8`, 'num', 'time'),
  fn1('minute')((x) => sql`extract(minute from ${x} at time zone 'UTC')::float8`, 'num', 'time'),
  fn1('second')((x) => sql`floor(extract(second from ${x} at time zone 'UTC'))::float8`, 'num', 'time'),
  fn1('date')((x) => sql`to_char(${x} at time zone 'UTC', 'YYYY-MM-DD')`, 'text', 'time'),
  fn1('time')((x) => sql`to_char(${x} at time zone 'UTC', 'HH24:MI:SS')`, 'text', 'time'),
  fn1('round')((x) => sql`round(${x})::float8`, 'num', 'num'),
  fn1('floor')((x) => sql`floor(${x})::float8`, 'num', 'num'),
  fn1('ceiling')((x) => sql`ceiling(${x})::float8`, 'num', 'num'),
];

/** Turns a $filter tree into SQL on alias `a` of entity set `set`. */
export function filterSql(e: Expr, set: SetName, a: string, where = '$filter'): Sql {
  const d = ENTITIES[set];
  const val = (x: Expr): Typed => {
    switch (x.k) {
      case 'lit':
        if (x.v === null) return { s: sql`null`, t: 'null' };
        if (typeof x.v === 'number') return { s: sql`${x.v}::float8`, t: 'num' };
        if (typeof x.v === 'boolean') return { s: x.v ? sql`true` : sql`false`, t: 'bool' };
        return { s: sql`${x.v}::text`, t: 'text' };
      case 'time':
        return { s: sql`${x.v.toISOString()}::timestamptz`, t: 'time' };
      case 'geo':
        return { s: sql`${JSON.stringify(geoLiteral(x.wkt, where))}::jsonb`, t: 'geom' };
      case 'path':
        return property(d, a, x.p[0]!, x.p.slice(1), where);
      case 'not':
        return { s: sql`not coalesce(${bool(x.e)}, false)`, t: 'bool' };
      case 'bin': {
        if (x.op === 'and' || x.op === 'or') return { s: sql`(${bool(x.l)} ${sql.raw(x.op)} ${bool(x.r)})`, t: 'bool' };
        const l = val(x.l);
        const r = val(x.r);
        if (l.t === 'geom' || r.t === 'geom')
          throw bad(where, 'a geography literal is an argument of a geo function only', 'hằng địa lý chỉ dùng trong hàm địa lý');
        if (CMP[x.op]) {
          if (l.t === 'null' || r.t === 'null') {
            const other = l.t === 'null' ? r : l;
            if (x.op !== 'eq' && x.op !== 'ne') throw bad(where, `null compares only with eq and ne`, 'null chỉ so sánh bằng eq, ne');
            return { s: x.op === 'eq' ? sql`(${other.s} is null)` : sql`(${other.s} is not null)`, t: 'bool' };
          }
          const t: Kind = l.t === 'json' ? (r.t === 'json' ? 'text' : r.t) : l.t;
          // An observation's numeric result has a column of its own.
          if (d.set === 'Observations' && t === 'num' && x.l.k === 'path' && x.l.p.join('/') === 'result')
            return { s: sql`(${col(a, 'result_number')} ${sql.raw(CMP[x.op]!)} ${asKind(r, 'num')})`, t: 'bool' };
          // A time compared with a quoted time.
          for (const [tv, other, lit] of [
            [l, r, x.r],
            [r, l, x.l],
          ] as const)
            if (tv.t === 'time' && other.t === 'text' && lit.k === 'lit' && typeof lit.v === 'string') {
              if (Number.isNaN(Date.parse(lit.v))) throw bad(where, `"${lit.v}" is not a time`, `"${lit.v}" không phải thời điểm`);
              const lt = sql`${new Date(lit.v).toISOString()}::timestamptz`;
              return { s: tv === l ? sql`(${l.s} ${sql.raw(CMP[x.op]!)} ${lt})` : sql`(${lt} ${sql.raw(CMP[x.op]!)} ${r.s})`, t: 'bool' };
            }
          if (l.t !== 'json' && r.t !== 'json' && l.t !== r.t)
            throw bad(
              where,
              `cannot compare ${l.t === 'time' ? 'a time' : l.t === 'num' ? 'a number' : 'a text'} with ${r.t === 'time' ? 'a time' : r.t === 'num' ? 'a number' : 'a text'}`,
              'không so sánh được hai kiểu khác nhau',
            );
          return { s: sql`(${asKind(l, t)} ${sql.raw(CMP[x.op]!)} ${asKind(r, t)})`, t: 'bool' };
        }
        const op = ARITH[x.op]!;
        if (x.op === 'mod') return { s: sql`mod(${asKind(l, 'num')}::numeric, ${asKind(r, 'num')}::numeric)::float8`, t: 'num' };
        if (x.op === 'div') return { s: sql`(${asKind(l, 'num')} / nullif(${asKind(r, 'num')}, 0))`, t: 'num' };
        return { s: sql`(${asKind(l, 'num')} ${sql.raw(op)} ${asKind(r, 'num')})`, t: 'num' };
      }
      case 'fn':
        return fn(x.name, x.args);
    }
  };
  const bool = (x: Expr): Sql => {
    const v = val(x);
    if (v.t === 'geom') throw bad(where, 'a geography literal is an argument of a geo function only', 'hằng địa lý chỉ dùng trong hàm địa lý');
    return v.t === 'bool' ? v.s : asKind(v, 'bool');
  };
  const text = (x: Expr) => asKind(val(x), 'text');
  const fn = (name: string, args: Expr[]): Typed => {
    const arity = (n: number | number[]) => {
      if (!(Array.isArray(n) ? n : [n]).includes(args.length))
        throw bad(
          where,
          `${name}() takes ${Array.isArray(n) ? n.join(' or ') : n} argument(s)`,
          `${name}() cần ${Array.isArray(n) ? n.join(' hoặc ') : n} tham số`,
        );
    };
    const geo = Object.hasOwn(GEO_FUNCTIONS, name) ? GEO_FUNCTIONS[name] : undefined;
    if (geo) {
      arity(geo.args.length);
      const parts = args.map((arg, i) => {
        const v = val(arg);
        if (geo.args[i] === 'text') return asKind(v, 'text');
        // A geometry: a literal, or a property holding GeoJSON (a Location's location, a Feature's feature, an observedArea).
        if (v.t !== 'geom' && v.t !== 'json')
          throw bad(where, `${name}() takes a geometry as argument ${i + 1}`, `${name}() cần một hình học ở tham số ${i + 1}`);
        return v.s;
      });
      return { s: sql`${sql.raw(geo.sql)}(${sql.join(parts)})`, t: geo.returns };
    }
    const one = ONE_ARG.find((f) => f.name === name);
    if (one) {
      arity(1);
      const v = val(args[0]!);
      if (one.argT === 'time' && v.t !== 'time') throw bad(where, `${name}() takes a time`, `${name}() cần một thời điểm`);
      return { s: one.f(asKind(v, one.argT)), t: one.t };
    }
    switch (name) {
      case 'substringof':
        arity(2);
        return { s: sql`(strpos(${text(args[1]!)}, ${text(args[0]!)}) > 0)`, t: 'bool' };
      case 'startswith':
        arity(2);
        return { s: sql`starts_with(${text(args[0]!)}, ${text(args[1]!)})`, t: 'bool' };
      case 'endswith':
        arity(2);
        return { s: sql`(right(${text(args[0]!)}, length(${text(args[1]!)})) = ${text(args[1]!)})`, t: 'bool' };
      case 'indexof':
        arity(2);
        return { s: sql`(strpos(${text(args[0]!)}, ${text(args[1]!)}) - 1)::float8`, t: 'num' };
      case 'substring':
        arity([2, 3]);
        return args.length === 2
          ? { s: sql`substr(${text(args[0]!)}, (${asKind(val(args[1]!), 'num')})::int + 1)`, t: 'text' }
          : { s: sql`substr(${text(args[0]!)}, (${asKind(val(args[1]!), 'num')})::int + 1, (${asKind(val(args[2]!), 'num')})::int)`, t: 'text' };
      case 'concat':
        arity(2);
        return { s: sql`(${text(args[0]!)} || ${text(args[1]!)})`, t: 'text' };
      case 'now':
        arity(0);
        return { s: sql`now()`, t: 'time' };
      case 'mindatetime':
      case 'maxdatetime':
        arity(0);
        return { s: name === 'mindatetime' ? sql`'-infinity'::timestamptz` : sql`'infinity'::timestamptz`, t: 'time' };
      default:
        throw bad(where, `${name}() is not a function of SensorThings`, `${name}() không phải hàm của SensorThings`);
    }
  };
  return bool(e);
}
