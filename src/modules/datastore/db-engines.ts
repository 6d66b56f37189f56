import mysql from 'mysql2';
import pg from 'pg';
import { parse } from 'libpg-query';
import type { FieldType } from './ingest/infer.js';

/** The sector databases the datastore pulls from. */
export type DbEngine = 'postgresql' | 'mysql';

export interface DbTarget {
  engine: DbEngine;
  /** The address to connect to (already checked against the outbound policy). */
  address: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

/** Rows fetched per round trip, and the time one statement may take on the sector database. */
export const DB_BATCH = 2000;
export const DB_STATEMENT_TIMEOUT_MS = 10 * 60_000;
const CONNECT_TIMEOUT_MS = 10_000;

/** The query as it is sent: trimmed, without a trailing semicolon (it is wrapped and declared as a cursor). */
const statement = (sql: string) => sql.trim().replace(/;\s*$/, '');

/** Why a query is not a single read-only SELECT (null when it is one). */
export async function queryProblem(engine: DbEngine, sql: string): Promise<string | null> {
  const text = statement(sql);
  if (!text) return 'empty';
  if (engine === 'postgresql') {
    try {
      const tree = (await parse(text)) as { stmts?: { stmt: Record<string, { intoClause?: unknown }> }[] };
      const stmts = tree.stmts ?? [];
      if (stmts.length !== 1) return 'one statement only';
      const select = stmts[0]!.stmt.SelectStmt;
      if (!select) return 'a SELECT only';
      if (select.intoClause) return 'SELECT INTO writes a table';
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }
  // MySQL/MariaDB: no parser of theirs in Node; the read-only transaction is what guarantees
  // nothing is written. Refused here: a second statement and SELECT … INTO (files, variables).
  if (!/^(select|with)\b/i.test(text)) return 'a SELECT only';
  if (text.includes(';')) return 'one statement only';
  if (/\binto\s+(outfile|dumpfile|@)/i.test(text)) return 'SELECT INTO writes outside the query';
  return null;
}

const pgIdent = (s: string) => `"${s.replaceAll('"', '""')}"`;
const myIdent = (s: string) => `\`${s.replaceAll('`', '``')}\``;

/** The query, narrowed to rows after `after` by the incremental column, in that column's order. */
export function incrementalSql(engine: DbEngine, sql: string, column: string): string {
  const q = statement(sql);
  return engine === 'postgresql'
    ? `select * from (${q}) as tinhso_q where ${pgIdent(column)} > $1 order by ${pgIdent(column)}`
    : `select * from (${q}) as tinhso_q where ${myIdent(column)} > ? order by ${myIdent(column)}`;
}

/** A batch of rows, and (with the first) the Table Schema types of the query's columns as the database declares them. */
export interface RowsBatch {
  rows: Record<string, unknown>[];
  types?: Record<string, FieldType>;
}

// PostgreSQL type oids (pg_type) → field types; others (json, arrays, uuid…) are left to inference.
const PG_TYPES: Record<number, FieldType> = {
  16: 'boolean',
  20: 'integer',
  21: 'integer',
  23: 'integer',
  25: 'string',
  1042: 'string',
  1043: 'string',
  700: 'number',
  701: 'number',
  1700: 'number',
  1082: 'date',
  1114: 'datetime',
  1184: 'datetime',
};
const MY_TYPES: Record<string, FieldType> = {
  TINY: 'integer',
  SHORT: 'integer',
  LONG: 'integer',
  LONGLONG: 'integer',
  INT24: 'integer',
  YEAR: 'integer',
  DECIMAL: 'number',
  NEWDECIMAL: 'number',
  FLOAT: 'number',
  DOUBLE: 'number',
  DATE: 'date',
  NEWDATE: 'date',
  DATETIME: 'datetime',
  TIMESTAMP: 'datetime',
  VARCHAR: 'string',
  VAR_STRING: 'string',
  STRING: 'string',
  ENUM: 'string',
};

/**
 * The rows of a query on a sector database, in batches, inside a read-only transaction with a
 * statement timeout: PostgreSQL through a server-side cursor, MySQL/MariaDB through mysql2's
 * row stream (both with back-pressure, so a large table is never held in memory).
 */
export async function* queryRows(t: DbTarget, sql: string, params: unknown[] = []): AsyncGenerator<RowsBatch> {
  if (t.engine === 'postgresql') yield* pgRows(t, sql, params);
  else yield* mysqlRows(t, sql, params);
}

async function* pgRows(t: DbTarget, sql: string, params: unknown[]): AsyncGenerator<RowsBatch> {
  const client = new pg.Client({
    host: t.address,
    port: t.port,
    database: t.database,
    user: t.user,
    password: t.password,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: DB_STATEMENT_TIMEOUT_MS,
    application_name: 'tinhso-datastore-pull',
  });
  await client.connect();
  try {
    await client.query('begin transaction isolation level repeatable read read only');
    await client.query(`declare tinhso_pull no scroll cursor for ${statement(sql)}`, params);
    for (let first = true; ; first = false) {
      const r = await client.query<Record<string, unknown>>(`fetch ${DB_BATCH} from tinhso_pull`);
      if (!r.rows.length) break;
      yield first ? { rows: r.rows, types: declared(r.fields.map((f) => [f.name, PG_TYPES[f.dataTypeID]])) } : { rows: r.rows };
    }
  } finally {
    await client.query('rollback').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

async function* mysqlRows(t: DbTarget, sql: string, params: unknown[]): AsyncGenerator<RowsBatch> {
  const conn = mysql.createConnection({
    host: t.address,
    port: t.port,
    database: t.database,
    user: t.user,
    password: t.password,
    connectTimeout: CONNECT_TIMEOUT_MS,
    timezone: 'Z',
    // DATE as 'YYYY-MM-DD' (a JavaScript Date would be a midnight in some zone).
    dateStrings: ['DATE'],
    supportBigNumbers: true,
    decimalNumbers: true,
    charset: 'utf8mb4',
  });
  const p = conn.promise();
  try {
    await p.connect();
    await p.query('set session transaction read only');
    // MariaDB counts seconds, MySQL milliseconds; each ignores the other's setting.
    await p.query(`set session max_statement_time = ${DB_STATEMENT_TIMEOUT_MS / 1000}`).catch(() => undefined);
    await p.query(`set session max_execution_time = ${DB_STATEMENT_TIMEOUT_MS}`).catch(() => undefined);
    await p.query('start transaction read only');
    let batch: Record<string, unknown>[] = [];
    let types: Record<string, FieldType> | undefined;
    const query = conn.query(statement(sql), params);
    query.on('fields', (fields: { name: string; columnType: number }[]) => {
      types = declared(fields.map((f) => [f.name, MY_TYPES[String((mysql.Types as unknown as Record<number, string>)[f.columnType])]]));
    });
    for await (const row of query.stream({ highWaterMark: DB_BATCH }) as AsyncIterable<Record<string, unknown>>) {
      batch.push(row);
      if (batch.length >= DB_BATCH) {
        yield types ? { rows: batch, types } : { rows: batch };
        types = undefined;
        batch = [];
      }
    }
    if (batch.length) yield types ? { rows: batch, types } : { rows: batch };
  } finally {
    await p.query('rollback').catch(() => undefined);
    await p.end().catch(() => conn.destroy());
  }
}

const declared = (pairs: [string, FieldType | undefined][]): Record<string, FieldType> =>
  Object.fromEntries(pairs.filter((p): p is [string, FieldType] => p[1] !== undefined));
