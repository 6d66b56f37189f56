import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';

// One decision for the whole app: bigint (count(*), bigserial) arrives as a JS number
// (all our counters stay far below 2^53); numeric stays a string; date stays 'YYYY-MM-DD'.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/** The query builder handle every repository receives; each narrows it with `withTables<T>()`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type Db = Kysely<{}>;

export interface Database {
  db: Db;
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

export function connect(url: string, opts: { max?: number; applicationName?: string } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 20,
    application_name: opts.applicationName ?? 'tinhso',
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', () => undefined); // an idle client lost its connection; the pool replaces it
  // A checked-out client whose connection dies (server restart, pg_terminate_backend) also emits
  // 'error'; its query in flight rejects on its own, so the event must not crash the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  const db = new Kysely<{}>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  let closed = false;
  return {
    db,
    pool,
    url,
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

const pools = new WeakMap<Db, pg.Pool>();

/**
 * One connection of `db`'s pool, as a Kysely handle and as the raw pg client, for work that needs
 * both in one transaction (COPY streams through pg-copy-streams, typed queries through Kysely):
 * start the transaction with `k.transaction()` and use `client` inside it. Released afterwards.
 */
export async function withClient<T>(db: Db, fn: (k: Db, client: pg.PoolClient) => Promise<T>): Promise<T> {
  const pool = pools.get(db);
  if (!pool) throw new Error('withClient needs a handle made by connect()');
  const client = await pool.connect();
  const shared = { query: client.query.bind(client), release: () => undefined };
  const one = { connect: async () => shared, end: async () => undefined };
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  const k = new Kysely<{}>({ dialect: new PostgresDialect({ pool: one as unknown as pg.Pool }) });
  let broken = false;
  try {
    return await fn(k, client);
  } catch (e) {
    broken = true;
    throw e;
  } finally {
    // A failed COPY may leave the connection mid-protocol: it is closed rather than reused.
    client.release(broken);
  }
}

export async function ping(db: Db): Promise<boolean> {
  // Twice: a pooled connection the server closed (a restart, a terminated backend) fails once and is dropped by the
  // pool; the database is down only when a second, fresh one fails too.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await sql`select 1`.execute(db);
      return true;
    } catch {
      // tried again below, then reported
    }
  }
  return false;
}

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one (so a batch, such as
 * a harvest page, can group many service writes into one commit).
 */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
