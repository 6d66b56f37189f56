import { bad } from './errors.js';
import { parseFilter, type Expr } from './filter.js';
import { ENTITIES, type SetName } from './model.js';

export const DEFAULT_TOP = 100;
export const MAX_TOP = 10_000;

export interface OrderBy {
  path: string[];
  desc: boolean;
}

/** The query options of one level (the request's, or those of one $expand item). */
export interface QueryOptions {
  top: number;
  skip: number;
  count: boolean;
  orderby: OrderBy[];
  /** Property and link names to return; undefined: all properties and navigation links. */
  select?: string[];
  expand: Expand[];
  filter?: Expr;
  resultFormat?: 'dataArray';
}

export interface Expand {
  link: string;
  options: QueryOptions;
}

/** Splits at `sep` outside parentheses and quotes. */
function splitTop(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === sep) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const integer = (name: string, v: string, max: number) => {
  if (!/^\d{1,9}$/.test(v)) throw bad(name, `"${v}" is not a non-negative integer`, `"${v}" không phải số nguyên không âm`);
  const n = Number(v);
  if (n > max) throw bad(name, `at most ${max}`, `tối đa ${max}`);
  return n;
};

/**
 * Parses the options of entity set `set` from `raw` (the query string's, or the `;`-separated ones
 * inside an $expand item). Every name is checked against the model: an unknown property, link or
 * option is a 400 naming it.
 */
export function parseOptions(set: SetName, raw: Record<string, string | undefined>, where = ''): QueryOptions {
  const def = ENTITIES[set];
  const at = (k: string) => `${where}${k}`;
  const o: QueryOptions = { top: DEFAULT_TOP, skip: 0, count: false, orderby: [], expand: [] };
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    if (!k.startsWith('$')) continue;
    switch (k) {
      case '$top':
        o.top = integer(at(k), v, MAX_TOP);
        break;
      case '$skip':
        o.skip = integer(at(k), v, 1e9);
        break;
      case '$count':
        if (v !== 'true' && v !== 'false') throw bad(at(k), `"${v}" is not true or false`, `"${v}" không phải true hoặc false`);
        o.count = v === 'true';
        break;
      case '$orderby':
        o.orderby = splitTop(v, ',').map((item) => {
          const m = /^(\S+)(?:\s+(asc|desc))?$/i.exec(item);
          if (!m) throw bad(at(k), `"${item}" is not "property [asc|desc]"`, `"${item}" không đúng dạng "thuộc tính [asc|desc]"`);
          const path = m[1]!.split('/');
          checkPath(set, path, at(k));
          return { path, desc: m[2]?.toLowerCase() === 'desc' };
        });
        break;
      case '$select':
        o.select = splitTop(v, ',').map((name) => {
          if (name !== 'id' && name !== '@iot.id' && !def.props[name] && !def.links[name])
            throw bad(at(k), `${set} has no property "${name}"`, `${set} không có thuộc tính "${name}"`);
          return name === '@iot.id' ? 'id' : name;
        });
        break;
      case '$expand':
        o.expand = splitTop(v, ',').flatMap((item) => parseExpand(set, item, at(k)));
        break;
      case '$filter':
        o.filter = parseFilter(v, at(k));
        break;
      case '$resultFormat':
        if (v !== 'dataArray') throw bad(at(k), `"${v}" is not a result format (dataArray)`, `"${v}" không phải định dạng kết quả (dataArray)`);
        if (set !== 'Observations') throw bad(at(k), 'dataArray is for Observations', 'dataArray chỉ dành cho Observations');
        o.resultFormat = 'dataArray';
        break;
      default:
        throw bad(
          k,
          'not a query option of SensorThings ($top, $skip, $count, $orderby, $select, $expand, $filter, $resultFormat)',
          'không phải tùy chọn truy vấn',
        );
    }
  }
  return o;
}

/** `Datastreams($top=1;$expand=Observations)` or `Datastreams/Observations` (each step expanded). */
function parseExpand(set: SetName, item: string, where: string): Expand[] {
  const m = /^([A-Za-z]+)(?:\((.*)\))?(?:\/(.+))?$/s.exec(item);
  if (!m) throw bad(where, `"${item}" is not an expand item`, `"${item}" không phải mục $expand hợp lệ`);
  const [, link, inner, rest] = m as unknown as [string, string, string | undefined, string | undefined];
  const def = ENTITIES[set].links[link];
  if (!def) throw bad(where, `${set} has no navigation link "${link}"`, `${set} không có liên kết "${link}"`);
  const raw: Record<string, string> = {};
  for (const opt of inner ? splitTop(inner, ';') : []) {
    const eq = opt.indexOf('=');
    if (eq < 1) throw bad(where, `"${opt}" is not $option=value`, `"${opt}" không đúng dạng $tùy_chọn=giá_trị`);
    raw[opt.slice(0, eq).trim()] = opt.slice(eq + 1).trim();
  }
  const options = parseOptions(def.target, raw, `${where}(${link})/`);
  if (rest) options.expand.push(...parseExpand(def.target, rest, `${where}(${link})/`));
  return [{ link, options }];
}

/** Checks a property path (`name`, `Datastream/name`, `properties/a/b`) against the model. */
export function checkPath(set: SetName, path: string[], where: string): void {
  let cur = ENTITIES[set];
  for (let i = 0; i < path.length; i++) {
    const p = path[i]!;
    if (p === 'id' || p === '@iot.id') return;
    const prop = cur.props[p];
    if (prop) {
      if (i < path.length - 1 && prop.kind !== 'json') throw bad(where, `${p} has no parts`, `${p} không có thành phần con`);
      return;
    }
    const link = cur.links[p];
    if (!link || !link.one || i === path.length - 1)
      throw bad(where, `"${path.join('/')}" is not a property of ${set} (through single links)`, `"${path.join('/')}" không phải thuộc tính của ${set}`);
    cur = ENTITIES[link.target];
  }
}
