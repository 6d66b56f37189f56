import type { FqNode } from '../fq.js';
import type { Doc, SearchStore } from './store.js';

/** A filter over document `n`: its own fields `d`; its access fields and facet keys are in the store. */
export type Pred = (d: Doc, n: number) => boolean;

/** Organization slugs and group names, to resolve fq values as sql.ts does. */
export interface Names {
  orgBySlug: Map<string, string>;
  groupByName: Map<string, string>;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRUE: Pred = () => true;
const FALSE: Pred = () => false;

/**
 * A parsed fq tree as a predicate over indexed documents, with the semantics of sql.ts; null when
 * the tree uses something the index does not hold (free text in title/text, harvest source,
 * dataset type, exact timestamps) or is invalid, and the SQL path answers instead.
 */
export function compileFilter(n: FqNode, store: SearchStore, names: Names): Pred | null {
  const anyKey = (ids: number[]): Pred => {
    if (ids.length === 0) return FALSE;
    const set = new Set(ids);
    return (_d, n) => {
      const [from, to] = store.keysOf(n);
      for (let i = from; i < to; i++) if (set.has(store.arena[i]!)) return true;
      return false;
    };
  };
  const key = (k: string): Pred => {
    const id = store.keyIds.get(k);
    return id === undefined ? FALSE : (_d, n) => store.hasKey(n, id);
  };
  const keysWith = (prefix: string): Pred => anyKey(store.keyNames.flatMap((k, i) => (k.startsWith(prefix) ? [i] : [])));
  const matching = <T>(map: Map<string, T>, prefix: string) => [...map].filter(([name]) => name.startsWith(prefix)).map(([, v]) => v);

  const go = (n: FqNode): Pred | null => {
    switch (n.op) {
      case 'all':
        return TRUE;
      case 'and':
      case 'or': {
        const args = n.args.map(go);
        if (args.some((a) => a === null)) return null;
        const ps = args as Pred[];
        return n.op === 'and' ? (d, i) => ps.every((p) => p(d, i)) : (d, i) => ps.some((p) => p(d, i));
      }
      case 'not': {
        const p = go(n.arg);
        return p && ((d, i) => !p(d, i));
      }
      case 'range': {
        const lo = n.lo?.getTime();
        const hi = n.hi?.getTime();
        const col = n.field === 'metadata_created' ? 'created' : 'modified';
        return (d) => {
          const t = d[col];
          return (lo === undefined || (n.loInclusive ? t >= lo : t > lo)) && (hi === undefined || (n.hiInclusive ? t <= hi : t < hi));
        };
      }
      case 'term':
        return term(n);
    }
  };

  const term = (n: Extract<FqNode, { op: 'term' }>): Pred | null => {
    const v = n.value;
    switch (n.field) {
      case 'organization':
      case 'owner_org': {
        if (n.any) return TRUE;
        if (n.field === 'owner_org' && UUID_RE.test(v)) return (_d, i) => store.accessOf(i).owner_org === v.toLowerCase();
        const ids = new Set(n.prefix && n.field === 'organization' ? matching(names.orgBySlug, v) : [names.orgBySlug.get(v)].filter(Boolean));
        return (_d, i) => ids.has(store.accessOf(i).owner_org);
      }
      case 'groups': {
        if (n.any) return keysWith('g:');
        const ids = n.prefix
          ? matching(names.groupByName, v)
          : [names.groupByName.get(v), ...(UUID_RE.test(v) && [...names.groupByName.values()].includes(v.toLowerCase()) ? [v.toLowerCase()] : [])];
        return anyKey(ids.flatMap((id) => (id ? [store.keyIds.get(`g:${id}`) ?? -1] : [])).filter((i) => i >= 0));
      }
      case 'tags':
        return n.any ? keysWith('t:') : n.prefix ? keysWith(`t:${v}`) : key(`t:${v}`);
      case 'res_format':
        return n.any ? keysWith('f:') : n.prefix ? keysWith(`f:${v.toUpperCase()}`) : key(`f:${v.toUpperCase()}`);
      case 'spatial_codes':
        return n.any ? keysWith('s:') : n.prefix ? keysWith(`s:${v}`) : key(`s:${v}`);
      case 'license_id':
        if (n.any) return (d) => !!d.license_id;
        return n.prefix ? (d) => !!d.license_id?.startsWith(v) : (d) => d.license_id === v;
      case 'name':
        if (n.any) return TRUE;
        return n.prefix ? (d) => d.name.startsWith(v) : (d) => d.name === v;
      case 'id':
        if (n.any) return TRUE;
        return UUID_RE.test(v) ? (d) => d.id === v.toLowerCase() : FALSE;
      case 'access_level':
        return n.any ? TRUE : (_d, i) => store.accessOf(i).access_level === v;
      case 'state':
        return n.any ? TRUE : (_d, i) => store.accessOf(i).state === v;
      case 'capacity':
        if (n.any) return TRUE;
        if (v === 'public') return (_d, i) => store.accessOf(i).access_level === 'public';
        return v === 'private' ? (_d, i) => store.accessOf(i).access_level !== 'public' : null;
      case 'shared_db': {
        if (n.any) return TRUE;
        const b = v.toLowerCase();
        return b === 'true' || b === 'false' ? key(`d:${b}`) : null;
      }
      default:
        return null;
    }
  };

  return go(n);
}
