import { sql } from 'kysely';
import type { Db } from '../../../../platform/db/index.js';
import type { AccessLevel, DatasetState } from '../../tables.js';
import { parseTsvector, readVec, vecSize, writeVec, type Vec } from './tsvector.js';

/** What decides who may read a dataset; shared by every document with the same values (`SearchStore.sigs`). */
export interface Access {
  state: DatasetState;
  access_level: AccessLevel;
  owner_org: string;
  restricted_orgs: string[];
  restricted_kinds: string[];
}

/** One dataset's own fields as the in-memory index holds them (its access fields are its signature's). */
export interface Doc {
  id: string;
  name: string;
  license_id: string | null;
  modified: number;
  created: number;
}

/** A dataset row as the loader reads it. */
type Row = Doc & Access & { facet_keys: string[]; doc: string; exact: string };

const COLUMNS = sql`d.id::text, d.state, d.access_level, d.owner_org::text, d.restricted_orgs::text[], d.restricted_kinds, d.name, d.license_id,
  d.facet_keys, extract(epoch from d.metadata_modified)::float8 * 1000 as modified, extract(epoch from d.metadata_created)::float8 * 1000 as created,
  d.search_doc::text as doc, d.search_exact::text as exact`;

const LOAD_BATCH = 5000;

/**
 * The catalogue's search documents in memory: documents by number, a posting list (ascending
 * document numbers) per folded term, facet keys as small integers. A changed dataset gets a new
 * number and its old slot is emptied, so posting lists only ever grow at the end and stay sorted;
 * they are rebuilt when a third of the slots are empty. Kept in step with PostgreSQL by snapshot:
 * `sync` reads only rows written by transactions the last snapshot did not see.
 */
export class SearchStore {
  docs: (Doc | null)[] = [];
  postings: number[][] = [];
  /**
   * What the search loop reads, by document number, in flat arrays (documents are visited in
   * ascending number, so these are read almost sequentially): the access signature, and where the
   * document's block starts in `arena` — [key count, facet key ids…, search_doc vector, search_exact vector].
   */
  sig: Int32Array<ArrayBuffer> = new Int32Array(1024);
  off: Int32Array<ArrayBuffer> = new Int32Array(1024);
  arena: Int32Array<ArrayBuffer> = new Int32Array(1 << 16);
  private used = 0;
  readonly byId = new Map<string, number>();
  private readonly terms = new Map<string, number>();
  readonly keyIds = new Map<string, number>();
  readonly keyNames: string[] = [];
  /** distinct access fields of the documents (a document's is sigs[sig[n]]) */
  readonly sigs: Access[] = [];
  private readonly sigIds = new Map<string, number>();
  private snapshot: string | null = null;
  private empty = 0;
  private busy: Promise<void> = Promise.resolve();

  get size(): number {
    return this.byId.size;
  }

  /** Loaded once: from then on queries only catch up. */
  get ready(): boolean {
    return this.snapshot !== null;
  }

  /** Roughly what the index holds in memory: its typed arrays exactly, posting lists and documents estimated. */
  approxBytes(): number {
    let postings = 0;
    for (const p of this.postings) postings += 16 + (p?.length ?? 0) * 8;
    return this.sig.byteLength + this.off.byteLength + this.arena.byteLength + postings + this.docs.length * 160 + this.terms.size * 64;
  }

  termId(lexeme: string): number | undefined {
    return this.terms.get(lexeme);
  }

  private intern = (lexeme: string): number => {
    let id = this.terms.get(lexeme);
    if (id === undefined) {
      id = this.terms.size;
      this.terms.set(lexeme, id);
    }
    return id;
  };

  private keyId(key: string): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.keyNames.length;
      this.keyIds.set(key, id);
      this.keyNames.push(key);
    }
    return id;
  }

  private readonly readableCache = new Map<string, Uint8Array>();

  /**
   * 1 for each signature the rule admits, cached per rule key (viewer and options) and extended
   * when new signatures appear; a signature's readability never changes (its fields are its identity).
   */
  readableSigs(key: string, rule: (s: Access) => boolean): Uint8Array {
    let ok = this.readableCache.get(key);
    if (!ok || ok.length !== this.sigs.length) {
      const next = new Uint8Array(this.sigs.length);
      if (ok) next.set(ok);
      for (let i = ok?.length ?? 0; i < next.length; i++) next[i] = rule(this.sigs[i]!) ? 1 : 0;
      if (this.readableCache.size > 1000) this.readableCache.clear();
      this.readableCache.set(key, next);
      ok = next;
    }
    return ok;
  }

  private sigOf(r: Row): number {
    const k = `${r.state}|${r.access_level}|${r.owner_org}|${r.restricted_orgs.join(',')}|${r.restricted_kinds.join(',')}`;
    let id = this.sigIds.get(k);
    if (id === undefined) {
      id = this.sigs.length;
      this.sigIds.set(k, id);
      const { state, access_level, owner_org, restricted_orgs, restricted_kinds } = r;
      this.sigs.push({ state, access_level, owner_org, restricted_orgs, restricted_kinds });
    }
    return id;
  }

  /** Bumped by every change: caches derived from the documents compare it. */
  version = 0;
  /** Browsing (no text, no filter) per access rule: the facet counts of the readable documents. */
  readonly browseCache = new Map<string, { version: number; counts: Int32Array }>();

  private put(r: Row): void {
    this.version += 1;
    const old = this.byId.get(r.id);
    if (old !== undefined) {
      this.docs[old] = null;
      this.sig[old] = -1; // no signature: never readable
      this.empty += 1;
      this.byId.delete(r.id);
    }
    if (r.state === 'deleted') return;
    const n = this.docs.length;
    const folded = parseTsvector(r.doc, this.intern);
    const exact = parseTsvector(r.exact, this.intern);
    const nk = r.facet_keys.length;
    const at = this.reserve(n, 1 + nk + vecSize(folded) + vecSize(exact));
    const a = this.arena;
    a[at] = nk;
    r.facet_keys.forEach((k, i) => (a[at + 1 + i] = this.keyId(k)));
    const fv = writeVec(a, at + 1 + nk, folded);
    writeVec(a, at + 1 + nk + vecSize(folded), exact);
    this.sig[n] = this.sigOf(r);
    this.docs.push({ id: r.id, name: r.name, license_id: r.license_id, modified: r.modified, created: r.created });
    this.byId.set(r.id, n);
    for (let i = 0; i < fv.n; i++) (this.postings[a[fv.t + i]!] ??= []).push(n);
  }

  /** Room for document n's block of `size` int32s; returns its offset. */
  private reserve(n: number, size: number): number {
    if (n >= this.sig.length) {
      this.sig = grow(this.sig, n + 1);
      this.off = grow(this.off, n + 1);
    }
    if (this.used + size > this.arena.length) this.arena = grow(this.arena, this.used + size);
    this.off[n] = this.used;
    this.used += size;
    return this.off[n]!;
  }

  /** Access fields of live document n. */
  accessOf(n: number): Access {
    return this.sigs[this.sig[n]!]!;
  }

  /** Facet key ids of document n: arena[from, to). */
  keysOf(n: number): [number, number] {
    const at = this.off[n]!;
    return [at + 1, at + 1 + this.arena[at]!];
  }

  hasKey(n: number, key: number): boolean {
    const at = this.off[n]!;
    for (let i = at + 1, end = at + 1 + this.arena[at]!; i < end; i++) if (this.arena[i] === key) return true;
    return false;
  }

  /** Views of document n's search_doc and search_exact vectors, written into `folded` and `exact` (no allocation). */
  vectors(n: number, folded: Vec, exact: Vec): void {
    const at = this.off[n]!;
    const end = readVec(this.arena, at + 1 + this.arena[at]!, folded);
    readVec(this.arena, end, exact);
  }

  private compact(): void {
    const docs = this.docs;
    const [sig, off, arena] = [this.sig, this.off, this.arena];
    this.docs = [];
    this.postings = [];
    this.byId.clear();
    this.sig = new Int32Array(Math.max(1024, docs.length));
    this.off = new Int32Array(this.sig.length);
    this.arena = new Int32Array(arena.length);
    this.used = 0;
    const v = emptyVec();
    docs.forEach((d, old) => {
      if (!d) return;
      const n = this.docs.length;
      const size = blockEnd(arena, off[old]!) - off[old]!;
      const at = this.reserve(n, size);
      this.arena.set(arena.subarray(off[old]!, off[old]! + size), at);
      this.sig[n] = sig[old]!;
      this.docs.push(d);
      this.byId.set(d.id, n);
      readVec(this.arena, at + 1 + this.arena[at]!, v);
      for (let i = 0; i < v.n; i++) (this.postings[this.arena[v.t + i]!] ??= []).push(n);
    });
    this.empty = 0;
  }

  /** Brings the index up to date with what a query run now would see (one indexed query when nothing changed). */
  sync(db: Db): Promise<void> {
    const next = this.busy.then(() => (this.snapshot === null ? this.load(db) : this.catchUp(db)));
    this.busy = next.catch(() => undefined);
    return next;
  }

  private async load(db: Db): Promise<void> {
    await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const { rows } = await sql<{ snap: string }>`select pg_current_snapshot()::text as snap`.execute(trx);
        let after = '00000000-0000-0000-0000-000000000000';
        for (;;) {
          const batch = await sql<Row>`select ${COLUMNS} from dataset d where d.id > ${after}::uuid and d.state <> 'deleted'
            order by d.id limit ${LOAD_BATCH}`.execute(trx);
          for (const r of batch.rows) this.put(r);
          if (batch.rows.length < LOAD_BATCH) break;
          after = batch.rows[batch.rows.length - 1]!.id;
        }
        this.snapshot = rows[0]!.snap;
      });
  }

  // The snapshot's xmin goes in as a value (not pg_snapshot_xmin(...)) so the planner sees a bound
  // past every committed txid and reads dataset_search_txid_idx.
  private async catchUp(db: Db): Promise<void> {
    const { rows } = await sql<{ snap: string; changed: Row[] | null }>`
      select pg_current_snapshot()::text as snap, (
        select json_agg(c) from (select ${COLUMNS} from dataset d
          where d.search_txid >= ${this.snapshot!.split(':')[0]}::bigint
            and not pg_visible_in_snapshot(d.search_txid::text::xid8, ${this.snapshot}::pg_snapshot)) c
      ) as changed`.execute(db);
    for (const r of rows[0]!.changed ?? []) this.put(r);
    this.snapshot = rows[0]!.snap;
    if (this.empty > 1000 && this.empty * 3 > this.docs.length) this.compact();
  }
}

function grow(a: Int32Array, min: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(min, a.length * 2));
  b.set(a);
  return b;
}

export const emptyVec = (): Vec => ({ buf: new Int32Array(0), t: 0, n: 0, s: 0, p: 0, length: 0 });

/** End offset of the block starting at `at`. */
function blockEnd(arena: Int32Array, at: number): number {
  const v = emptyVec();
  const end = readVec(arena, at + 1 + arena[at]!, v);
  return readVec(arena, end, v);
}

/**
 * Indexes by database: keyed by the Kysely root's dialect adapter, which every handle derived
 * from one root shares (`withTables()`, `withPlugin()`, its transactions), so a narrowed handle
 * finds the same index instead of building another.
 */
const stores = new WeakMap<object, SearchStore>();
const keyOf = (db: Db): object => db.getExecutor().adapter;

export function bindStore(db: Db, store: SearchStore): void {
  if (stores.has(keyOf(db))) throw new Error('this database already has a search index');
  stores.set(keyOf(db), store);
}

export function unbindStore(db: Db, store: SearchStore): void {
  if (stores.get(keyOf(db)) === store) stores.delete(keyOf(db));
}

/** The index of this database once it has loaded; undefined before (queries then take the SQL path). */
export function storeOf(db: Db): SearchStore | undefined {
  const s = stores.get(keyOf(db));
  return s?.ready ? s : undefined;
}
