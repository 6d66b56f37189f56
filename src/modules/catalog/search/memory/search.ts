import { sql } from 'kysely';
import type { Db } from '../../../../platform/db/index.js';
import { readableIn, type Viewer } from '../../access.js';
import type { FqNode } from '../fq.js';
import { compileFilter, type Names, type Pred } from './filter.js';
import { emptyVec, storeOf } from './store.js';
import { spellingPlan } from '../edits.js';
import { scoreOf, termIndex, type ScoreMode, type Vec } from './tsvector.js';

export interface MemoryQuery {
  /** null: every document (an empty q), scored 0 */
  text: { folded: string; exact: string } | null;
  filters: FqNode[];
  /** sort columns: score, metadata_modified, metadata_created or id */
  sort: { column: string; desc: boolean }[];
  facetPrefixes: string[];
  rows: number;
  start: number;
  includeNonPublic: boolean;
  includeDrafts: boolean;
}

export interface MemoryResult {
  count: number;
  ids: string[];
  facets: [string, string | null, number][];
}

/** Sort columns the index answers exactly as PostgreSQL would (names and titles depend on the collation). */
export const MEMORY_SORTS = new Set(['score', 'metadata_modified', 'metadata_created', 'id']);

const LEXEME = /'((?:[^']|'')*)'/g;
const lexemes = (tsquery: string) => [...tsquery.matchAll(LEXEME)].map((m) => m[1]!.replace(/''/g, "'"));

/**
 * Free-text search over the in-memory index: the same match (every folded syllable), access rule,
 * filters, score tiers (phrase 10, exact-accent phrase 4, exact accents 2, then term weight) and
 * exact counts and facets as the SQL path, without touching each matching row in PostgreSQL.
 * Query syllables are split by PostgreSQL itself; the typo fallback is the SQL path's, over the
 * index's own vocabulary. Returns null when nothing matches or a filter needs the SQL path.
 */
export async function searchInMemory(db: Db, viewer: Viewer, q: MemoryQuery): Promise<MemoryResult | null> {
  const store = storeOf(db);
  if (!store) return null;
  // Catch up and ask PostgreSQL for the query's syllables at the same time (two connections).
  const [, { rows }] = await Promise.all([
    store.sync(db),
    sql<{ f: string; e: string; orgs: Record<string, string> | null; groups: Record<string, string> | null }>`
    select plainto_tsquery('simple', ${q.text?.folded ?? ''})::text as f, plainto_tsquery('simple', ${q.text?.exact ?? ''})::text as e,
      (select json_object_agg(slug, id) from organization) as orgs, (select json_object_agg(name, id) from catalog_group) as groups`.execute(db),
  ]);
  const names: Names = { orgBySlug: new Map(Object.entries(rows[0]!.orgs ?? {})), groupByName: new Map(Object.entries(rows[0]!.groups ?? {})) };

  const preds: Pred[] = [];
  for (const f of q.filters) {
    const p = compileFilter(f, store, names);
    if (!p) return null;
    preds.push(p);
  }
  const readable = readableIn(viewer, { includeNonPublic: q.includeNonPublic, includeDrafts: q.includeDrafts });
  const ruleKey = JSON.stringify([viewer, q.includeNonPublic, q.includeDrafts]);
  const canRead = store.readableSigs(ruleKey, readable);
  const sig = store.sig;

  /** Readable, filtered documents having a term of every group (a group: one syllable or its spellings). */
  const match = (groups: number[][]): number[] => {
    // Intersect the posting lists (ascending document numbers), shortest first.
    const lists = groups.map((g) => g.map((t) => (t >= 0 ? (store.postings[t] ?? []) : [])).reduce(union, [])).sort((x, y) => x.length - y.length);
    let candidates = lists[0] ?? Array.from({ length: store.docs.length }, (_, i) => i);
    for (const list of lists.slice(1)) candidates = intersect(candidates, list);
    const out: number[] = [];
    for (const n of candidates) {
      if (canRead[sig[n]!] !== 1) continue; // emptied slots have signature -1
      if (preds.length > 0 && !preds.every((p) => p(store.docs[n]!, n))) continue;
      out.push(n);
    }
    return out;
  };

  // Every syllable first; when nothing has them all, the typo fallback of the SQL path (index.ts):
  // unknown syllables become their known one-edit spellings, then any syllable will do.
  const tokens = lexemes(rows[0]!.f);
  if (q.text && tokens.length === 0) return null;
  let mode: ScoreMode = 'all';
  let groups = tokens.map((l) => [store.termId(l) ?? -1]);
  let matched = groups.every((g) => g[0]! >= 0) ? match(groups) : [];
  if (q.text && matched.length === 0) {
    const plan = await spellingPlan(db, tokens);
    const id = (l: string) => store.termId(l) ?? -1; // -1: no live document has it
    if (plan.corrected) {
      groups = plan.corrected.map((g) => g.map(id));
      mode = 'corrected';
      matched = match(groups);
    }
    if (matched.length === 0 && plan.any) {
      groups = plan.any.map((t) => [id(t)]);
      mode = 'any';
      matched = match([groups.flat()]);
    }
  }
  if (matched.length === 0) return null;
  const exactIds = lexemes(rows[0]!.e).map((l) => store.termId(l) ?? -1);
  const exactKnown = exactIds.every((t) => t >= 0);
  const folded = emptyVec();
  const exact = emptyVec();
  const terms: number[] = groups.map((g) => g[0]!);

  // Scores and facet counts in one pass over the matches' blocks (each block is read once).
  const score = new Float64Array(matched.length);
  let counts: Int32Array = new Int32Array(q.facetPrefixes.length > 0 ? store.keyNames.length : 0);
  const needScore = q.text !== null && q.sort.some((s) => s.column === 'score');
  const a = store.arena;
  // Browsing the whole readable catalogue: its facet counts only change when a document does.
  const browsing = q.text === null && preds.length === 0;
  const cached = browsing ? store.browseCache.get(ruleKey) : undefined;
  if (cached && cached.version === store.version && counts.length > 0) counts = cached.counts;
  for (let i = 0; i < matched.length && counts !== cached?.counts; i++) {
    const n = matched[i]!;
    if (counts.length > 0) for (let k = store.off[n]! + 1, end = k + a[store.off[n]!]!; k < end; k++) counts[a[k]!]! += 1;
    if (needScore) {
      store.vectors(n, folded, exact);
      if (mode === 'corrected') pickSpellings(folded, groups, terms);
      score[i] = scoreOf(folded, terms, exact, exactKnown ? exactIds : null, mode);
    }
  }
  if (browsing && counts.length > 0 && counts !== cached?.counts) {
    if (store.browseCache.size > 100) store.browseCache.clear();
    store.browseCache.set(ruleKey, { version: store.version, counts });
  }
  const doc = (i: number) => store.docs[matched[i]!]!;
  const value = (column: string, i: number): number => (column === 'score' ? score[i]! : column === 'metadata_modified' ? doc(i).modified : doc(i).created);
  const byId = (i: number, j: number) => (doc(i).id < doc(j).id ? -1 : doc(i).id > doc(j).id ? 1 : 0);
  const cmp = (i: number, j: number): number => {
    for (const s of q.sort) {
      const c = s.column === 'id' ? byId(i, j) : value(s.column, i) - value(s.column, j);
      if (c !== 0) return s.desc ? -c : c;
    }
    return byId(i, j);
  };

  const ids = topK(matched.length, q.start + q.rows, cmp)
    .slice(q.start)
    .map((i) => doc(i).id);

  const facets: MemoryResult['facets'] = [];
  if (counts.length > 0) {
    const orgSlug = new Map([...names.orgBySlug].map(([slug, id]) => [id, slug]));
    const groupName = new Map([...names.groupByName].map(([name, id]) => [id, name]));
    counts.forEach((n, k) => {
      const key = store.keyNames[k]!;
      const prefix = key.slice(0, 2);
      if (n === 0 || !q.facetPrefixes.includes(prefix)) return;
      const value = key.slice(2);
      facets.push([key, prefix === 'o:' ? (orgSlug.get(value) ?? null) : prefix === 'g:' ? (groupName.get(value) ?? null) : value, n]);
    });
  }
  return { count: matched.length, ids, facets };
}

/** For each group, its first spelling the document has (or the first one): the terms to score. */
function pickSpellings(v: Vec, groups: number[][], into: number[]): void {
  groups.forEach((g, j) => {
    into[j] = g.find((t) => termIndex(v, t) >= 0) ?? g[0]!;
  });
}

/** Numbers in either ascending list, ascending. */
function union(a: number[], b: number[]): number[] {
  if (a.length === 0) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    out.push(Math.min(x, y));
    if (x <= y) i++;
    if (y <= x) j++;
  }
  return out;
}

/** Numbers in both ascending lists. */
function intersect(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length && j < b.length; i++) {
    const x = a[i]!;
    while (j < b.length && b[j]! < x) j++;
    if (b[j] === x) out.push(x);
  }
  return out;
}

/** The first k of 0 … n-1 in cmp order (a bounded insertion sort: k is a page, n can be the catalogue). */
function topK(n: number, k: number, cmp: (a: number, b: number) => number): number[] {
  if (k <= 0) return [];
  if (k * 8 >= n)
    return Array.from({ length: n }, (_, i) => i)
      .sort(cmp)
      .slice(0, k);
  const top: number[] = [];
  for (let x = 0; x < n; x++) {
    if (top.length === k && cmp(x, top[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(top[mid]!, x) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, x);
    if (top.length > k) top.pop();
  }
  return top;
}
