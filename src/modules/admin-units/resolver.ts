import { bareKeys, parseUnitName, type UnitType } from './fold.js';
import { type Level, type UnitRecord, validAt } from './tables.js';
import { todayVn } from './today.js';

/**
 * Name → code resolution over an in-memory list of unit versions (pure: no database). Build the
 * index once with `buildResolverIndex`, then call `resolveName` per query.
 */

export interface ResolveQuery {
  name: string;
  /** A unit code; only its descendants (any depth) are considered. */
  parent?: string | undefined;
  /** 'YYYY-MM-DD'; only versions valid on that date are considered. Default: today (Asia/Ho_Chi_Minh). */
  at?: string | undefined;
  level?: Level | undefined;
  /** Also match names one or two letters off (default true); a caller resolving many names tries exact matches first. */
  fuzzy?: boolean | undefined;
}

export interface Candidate {
  code: string;
  name: string;
  level: Level;
  type: string;
  parentCode: string | null;
  /** The unit and its parents, nearest first: "Phường Đô Vinh, Thành phố Phan Rang-Tháp Chàm, Tỉnh Ninh Thuận". */
  label: string;
  /** 0..1: 1 = the full name exactly as written; lower for a missing or different type, accents, typos. */
  score: number;
}

export interface ResolveResult {
  match: Candidate | null;
  /** When ambiguous: the equally good candidates first; otherwise the next best ones. */
  alternatives: Candidate[];
  ambiguous: boolean;
  at: string;
}

interface Entry {
  unit: UnitRecord;
  key: string;
  accented: string;
  /** Codes of the parents, nearest first. */
  ancestors: string[];
  label: string;
}

export interface ResolverIndex {
  entries: Entry[];
  byKey: Map<string, Entry[]>;
}

/** Below this a candidate is only listed, never returned as the match. */
export const MIN_MATCH_SCORE = 0.5;
const MAX_ALTERNATIVES = 10;

const LEVEL_TYPES: Record<Level, readonly string[]> = {
  province: ['Tỉnh', 'Thành phố'],
  district: ['Quận', 'Huyện', 'Thị xã', 'Thành phố'],
  commune: ['Phường', 'Xã', 'Thị trấn', 'Đặc khu'],
};
const LEVEL_ORDER: Record<Level, number> = { province: 0, district: 1, commune: 2 };

/** The parent version a version hangs under: same code, valid when the child starts. */
function parentVersion(versions: UnitRecord[] | undefined, child: UnitRecord): UnitRecord | undefined {
  return versions?.find(
    (p) =>
      (p.validFrom === null || (child.validFrom !== null && p.validFrom <= child.validFrom)) &&
      (p.validTo === null || child.validFrom === null || child.validFrom < p.validTo),
  );
}

export function buildResolverIndex(units: readonly UnitRecord[]): ResolverIndex {
  const versionsByCode = new Map<string, UnitRecord[]>();
  for (const u of units) {
    const list = versionsByCode.get(u.code);
    if (list) list.push(u);
    else versionsByCode.set(u.code, [u]);
  }
  const entries: Entry[] = [];
  const byKey = new Map<string, Entry[]>();
  for (const unit of units) {
    const bare = unit.name.startsWith(`${unit.type} `) ? unit.name.slice(unit.type.length + 1) : unit.name;
    const { key, accented } = bareKeys(bare);
    const ancestors: string[] = [];
    const names = [unit.name];
    let cur: UnitRecord | undefined = unit;
    while (cur?.parentCode && ancestors.length < 4) {
      ancestors.push(cur.parentCode);
      cur = parentVersion(versionsByCode.get(cur.parentCode), cur);
      if (cur) names.push(cur.name);
    }
    const entry: Entry = { unit, key, accented, ancestors, label: names.join(', ') };
    entries.push(entry);
    const list = byKey.get(key);
    if (list) list.push(entry);
    else byKey.set(key, [entry]);
  }
  return { entries, byKey };
}

/** Optimal-string-alignment (restricted Damerau-Levenshtein) distance, or max+1 once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Typo budget for a folded key: none for short names (and numbers: "Phường 1" ≠ "Phường 7"). */
function typoBudget(key: string): number {
  const letters = key.replace(/[^a-z]/g, '').length;
  if (letters >= 9) return 2;
  if (letters >= 5) return 1;
  return 0;
}

function typeAdjustment(hint: UnitType | null, unit: UnitRecord): number {
  if (!hint) return 0;
  if (hint === unit.type) return 0.08;
  if (LEVEL_TYPES[unit.level].includes(hint)) return -0.1; // same level, other type ("Xã" for a "Thị trấn")
  return -0.45; // another level ("Huyện" for a commune)
}

const round = (n: number): number => Math.round(Math.max(0, Math.min(1, n)) * 1000) / 1000;

function toCandidate(e: Entry, score: number): Candidate {
  return { code: e.unit.code, name: e.unit.name, level: e.unit.level, type: e.unit.type, parentCode: e.unit.parentCode, label: e.label, score: round(score) };
}

/**
 * Names as parsed, kept: a loader resolves each distinct name of a column against several places
 * and dates (home province now and before the reform, then the country), and parsing (NFC, folding,
 * the type prefixes) was most of each attempt. Bounded (short names only; emptied when full).
 */
const parsedNames = new Map<string, ReturnType<typeof parseUnitName>>();
function parsedName(name: string): ReturnType<typeof parseUnitName> {
  // A text longer than any unit's name is parsed, not kept.
  if (name.length > 256) return parseUnitName(name);
  let p = parsedNames.get(name);
  if (!p) {
    if (parsedNames.size >= 20_000) parsedNames.clear();
    p = parseUnitName(name);
    parsedNames.set(name, p);
  }
  return p;
}

export function resolveName(index: ResolverIndex, query: ResolveQuery): ResolveResult {
  const at = query.at ?? todayVn();
  const parsed = parsedName(query.name);
  const empty: ResolveResult = { match: null, alternatives: [], ambiguous: false, at };
  if (!parsed.key) return empty;
  const eligible = (e: Entry) => validAt(e.unit, at) && (!query.parent || e.ancestors.includes(query.parent)) && (!query.level || e.unit.level === query.level);

  const scored: { e: Entry; score: number }[] = [];
  for (const e of index.byKey.get(parsed.key) ?? []) {
    if (!eligible(e)) continue;
    scored.push({ e, score: 0.9 + (e.accented === parsed.accented ? 0.02 : 0) + typeAdjustment(parsed.type, e.unit) });
  }
  const budget = typoBudget(parsed.key);
  if (scored.length === 0 && budget > 0 && query.fuzzy !== false) {
    for (const e of index.entries) {
      if (Math.abs(e.key.length - parsed.key.length) > budget || !eligible(e)) continue;
      const d = editDistance(parsed.key, e.key, budget);
      if (d === 0 || d > budget) continue;
      scored.push({ e, score: (d === 1 ? 0.75 : 0.6) + typeAdjustment(parsed.type, e.unit) });
    }
  }
  if (scored.length === 0) return empty;

  scored.sort((a, b) => b.score - a.score || LEVEL_ORDER[a.e.unit.level] - LEVEL_ORDER[b.e.unit.level] || a.e.unit.code.localeCompare(b.e.unit.code));
  const best = scored[0]!;
  const tied = scored.filter((s) => Math.abs(s.score - best.score) < 1e-9);
  if (tied.length > 1) {
    return { match: null, alternatives: scored.slice(0, Math.max(tied.length, MAX_ALTERNATIVES)).map((s) => toCandidate(s.e, s.score)), ambiguous: true, at };
  }
  if (best.score < MIN_MATCH_SCORE) {
    return { match: null, alternatives: scored.slice(0, MAX_ALTERNATIVES).map((s) => toCandidate(s.e, s.score)), ambiguous: false, at };
  }
  return {
    match: toCandidate(best.e, best.score),
    alternatives: scored.slice(1, MAX_ALTERNATIVES + 1).map((s) => toCandidate(s.e, s.score)),
    ambiguous: false,
    at,
  };
}
