import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/**
 * Logical backup of the `public` schema: a gzip'd stream of a JSON header, then per table a JSON
 * line and its rows in COPY text format ending with `\.`. Written by hand because the embedded
 * PostgreSQL ships no pg_dump, and Debian's pg_dump 15 refuses an 18 server; this format also
 * restores across major versions (embedded 18 ⇄ external 15). Queue state (schema pgboss) is not
 * included: running jobs are not something to restore.
 */
export const BACKUP_FORMAT = 'tinhso-backup';

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  migrations: string[];
  tables: { name: string; columns: string[]; rows?: number }[];
}

interface TableInfo {
  name: string;
  columns: string[];
  deps: string[];
  selfFk?: { column: string; refColumn: string };
}

const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;

async function tables(client: pg.PoolClient): Promise<TableInfo[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(`
    select c.relname as name, array_agg(a.attname::text order by a.attnum) as columns
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname not in ('schema_migration', 'schema_migration_lock')
    group by c.relname order by c.relname`);
  const { rows: fks } = await client.query<{ tbl: string; ref: string; col: string; refcol: string; ncols: number }>(`
    select c.conrelid::regclass::text as tbl, c.confrelid::regclass::text as ref,
           (select attname from pg_attribute where attrelid = c.conrelid and attnum = c.conkey[1]) as col,
           (select attname from pg_attribute where attrelid = c.confrelid and attnum = c.confkey[1]) as refcol,
           array_length(c.conkey, 1) as ncols
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where c.contype = 'f' and n.nspname = 'public'`);
  const list: TableInfo[] = rows.map((r) => ({ name: r.name, columns: r.columns, deps: [] }));
  const byName = new Map(list.map((t) => [t.name, t]));
  for (const fk of fks) {
    const t = byName.get(fk.tbl);
    if (!t) continue;
    if (fk.tbl === fk.ref) {
      if (fk.ncols === 1) t.selfFk = { column: fk.col, refColumn: fk.refcol };
    } else t.deps.push(fk.ref);
  }
  // Topological order: referenced tables first.
  const out: TableInfo[] = [];
  const seen = new Set<string>();
  const visit = (t: TableInfo) => {
    if (seen.has(t.name)) return;
    seen.add(t.name);
    for (const d of t.deps) {
      const dep = byName.get(d);
      if (dep) visit(dep);
    }
    out.push(t);
  };
  list.forEach(visit);
  return out;
}

/** Rows of a self-referencing table come parents first, so they restore without deferring checks. */
function selectFor(t: TableInfo): string {
  const cols = t.columns.map(ident).join(', ');
  if (!t.selfFk) return `select ${cols} from ${ident(t.name)}`;
  const { column, refColumn } = t.selfFk;
  return `with recursive tree as (
      select t.*, 0 as _depth from ${ident(t.name)} t where ${ident(column)} is null
      union all
      select c.*, tree._depth + 1 from ${ident(t.name)} c join tree on c.${ident(column)} = tree.${ident(refColumn)}
    ) select ${cols} from tree order by _depth`;
}

export async function backupDatabase(pool: pg.Pool, file: string, migrations: string[]): Promise<BackupHeader> {
  const client = await pool.connect();
  const tmp = `${file}.partial`;
  try {
    await client.query('begin isolation level repeatable read read only');
    const list = await tables(client);
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      migrations,
      tables: list.map((t) => ({ name: t.name, columns: t.columns })),
    };
    const gz = zlib.createGzip();
    const out = fs.createWriteStream(tmp, { mode: 0o600 });
    const done = pipeline(gz, out);
    gz.write(`${JSON.stringify(header)}\n`);
    for (const t of list) {
      gz.write(`${JSON.stringify({ table: t.name, columns: t.columns })}\n`);
      const stream = client.query(copyTo(`copy (${selectFor(t)}) to stdout`));
      for await (const chunk of stream) if (!gz.write(chunk)) await new Promise((r) => gz.once('drain', r));
      gz.write('\\.\n');
    }
    gz.end();
    await done;
    await client.query('commit');
    fs.renameSync(tmp, file);
    return header;
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    fs.rmSync(tmp, { force: true });
    throw e;
  } finally {
    client.release();
  }
}

/**
 * The lines of a gzipped file, read with backpressure: iterating a stream pauses it while the
 * consumer awaits. (readline's iterator lost lines when the loop awaited a slow COPY under load,
 * so a restore misread a row as a table header.)
 */
async function* gzLines(file: string): AsyncGenerator<string> {
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  const decoder = new StringDecoder('utf8'); // a character split across chunks stays whole
  let rest = '';
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      const text = rest + decoder.write(chunk);
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) yield line;
    }
    rest += decoder.end();
    if (rest) yield rest;
  } finally {
    input.destroy();
  }
}

export async function readBackupHeader(file: string): Promise<BackupHeader> {
  for await (const line of gzLines(file)) {
    const h = JSON.parse(line) as BackupHeader;
    if (h.format !== BACKUP_FORMAT) throw new Error(`${file} is not a Tỉnh Số backup`);
    return h;
  }
  throw new Error(`${file} is empty`);
}

/**
 * Loads a backup into an empty, freshly migrated schema, in one transaction: either every table
 * is restored or nothing is.
 */
export async function restoreTables(pool: pg.Pool, file: string, onTable?: (name: string, rows: number) => void): Promise<number> {
  const client = await pool.connect();
  let total = 0;
  try {
    await client.query('begin');
    let header = true;
    let copy: ReturnType<typeof copyFrom> | undefined;
    let finished: Promise<void> | undefined;
    let current = '';
    let rows = 0;
    for await (const line of gzLines(file)) {
      if (header) {
        header = false;
        continue;
      }
      if (!copy) {
        const t = JSON.parse(line) as { table: string; columns: string[] };
        current = t.table;
        rows = 0;
        copy = client.query(copyFrom(`copy ${ident(t.table)} (${t.columns.map(ident).join(', ')}) from stdin`));
        finished = new Promise<void>((resolve, reject) => {
          copy!.on('finish', resolve);
          copy!.on('error', reject);
        });
        continue;
      }
      if (line === '\\.') {
        copy.end();
        await finished;
        onTable?.(current, rows);
        total += rows;
        copy = undefined;
        continue;
      }
      rows += 1;
      if (!copy.write(`${line}\n`)) await new Promise((r) => copy!.once('drain', r));
    }
    if (copy) throw new Error(`Backup truncated inside table ${current}`);
    await client.query('commit');
    return total;
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Drops every object of the public schema (the app's tables) before a restore. */
export async function resetPublicSchema(pool: pg.Pool): Promise<void> {
  await pool.query('drop schema public cascade; create schema public;');
}
