import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Strings one edit away (delete, transpose, replace, insert): Norvig's spelling-corrector candidates. */
export function edits1(w: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= w.length; i++) {
    const [a, b] = [w.slice(0, i), w.slice(i)];
    if (b) out.add(a + b.slice(1));
    if (b.length > 1) out.add(a + b[1] + b[0] + b.slice(2));
    for (const c of LETTERS) {
      if (b) out.add(a + c + b.slice(1));
      out.add(a + c + b);
    }
  }
  out.delete(w);
  return [...out];
}

/** What the typo fallback does once no dataset has every syllable (both search paths follow it). */
export interface SpellingPlan {
  /** Each syllable, or, if the catalogue never indexed it, its known one-edit spellings (at most 12); null when that changes nothing. */
  corrected: string[][] | null;
  /** The syllables of the any-syllable fallback, tried when the corrected query finds nothing; null when there is none. */
  any: string[] | null;
}

/** Unknown syllables that get spelling variants, at most: a query of many unknown words costs no more than this many. */
export const MAX_SPELLED = 6;

const knownTerms = async (db: Db, terms: string[]): Promise<Set<string>> =>
  terms.length === 0
    ? new Set()
    : new Set((await sql<{ term: string }>`select term from search_term where term = any(${terms}::text[])`.execute(db)).rows.map((r) => r.term));

/** Plans the typo fallback for folded query syllables. "Known" is every syllable ever indexed (search_term). */
export async function spellingPlan(db: Db, tokens: string[]): Promise<SpellingPlan> {
  const direct = await knownTerms(db, [...new Set(tokens)]);
  const spelled = new Set(tokens.filter((tok) => !direct.has(tok) && /^[a-z]{3,12}$/.test(tok)).slice(0, MAX_SPELLED));
  const variants = tokens.map((tok) => (spelled.has(tok) ? edits1(tok) : []));
  const known = new Set([...direct, ...(await knownTerms(db, [...new Set(variants.flat())]))]);
  const groups = tokens.map((tok, i) => (known.has(tok) ? [tok] : variants[i]!.filter((v) => known.has(v)).slice(0, 12))).filter((g) => g.length > 0);
  const changed = groups.length > 0 && groups.some((g, i) => g.length !== 1 || g[0] !== tokens[i]);
  const all = [...new Set(groups.flat())];
  // A lone syllable stops at its spellings; the any-syllable query needs something other than the query itself.
  const noAny = (changed && tokens.length === 1) || all.length === 0 || (all.length === 1 && all[0] === tokens[0] && tokens.length === 1);
  return { corrected: changed ? groups : null, any: noAny ? null : all };
}
