import { sql } from 'kysely';
import type { SecretBox } from '../../../platform/crypto/index.js';
import type { Db } from '../../../platform/db/index.js';
import { signingKey, checkpointStatement, signStatement, type SigningKey } from './keys.js';
import { canonicalRecord, chainHash, GENESIS, sha256Hex, type LogEntry } from './record.js';

/** Bodies kept with a record under its service's policy. */
export interface LogBodies {
  request: Buffer | null;
  response: Buffer | null;
  retentionDays: number;
}

interface Pending {
  entry: LogEntry;
  at: Date;
  bodies: LogBodies | undefined;
  done: (() => void) | undefined;
  fail: ((e: unknown) => void) | undefined;
}

const LOCK = 7418262;
/** A checkpoint is signed after this many records, or this long after the last one. */
export const CHECKPOINT_EVERY = 1000;
export const CHECKPOINT_MS = 10_000;
const MAX_BATCH = 2000;

/**
 * The message log's writer: group commit. Calls append their record and go on; one flush at a
 * time writes everything queued since the last one in a single transaction (the chain's lock,
 * its head, one INSERT of the batch, a signed checkpoint when due). A call whose service wants
 * the record durable awaits `append` (its batch's commit) before releasing the response. Records
 * not yet written when a flush fails are kept and written by the next one.
 */
export class MessageLog {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private scheduled = false;
  private key: SigningKey | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly db: Db,
    private readonly box: () => SecretBox,
    private readonly node: string,
    private readonly instance: () => string,
  ) {}

  /**
   * Bodies of a record already written (a durable service's: its record is committed when the
   * provider answers, its response body is known only at the end). Outside the chain, like every body.
   */
  async attachBodies(messageId: string, b: LogBodies): Promise<void> {
    await this.flush();
    await sql`insert into xr_message_body (seq, request, response, expires_at)
              select seq, ${b.request}, ${b.response}, now() + make_interval(days => ${b.retentionDays})
              from xr_message_log where message_id = ${messageId} order by seq desc limit 1
              on conflict (seq) do nothing`.execute(this.db);
  }

  /** Queues a record; the promise resolves when it is committed (await it only when durability is required). */
  append(entry: LogEntry, bodies?: LogBodies, durable = false): Promise<void> {
    const p: Pending = { entry, at: new Date(), bodies, done: undefined, fail: undefined };
    const promise = durable
      ? new Promise<void>((resolve, reject) => {
          p.done = resolve;
          p.fail = reject;
        })
      : Promise.resolve();
    this.queue.push(p);
    this.schedule();
    return promise;
  }

  get pending(): number {
    return this.queue.length;
  }

  private schedule(delay = 0): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      void this.flush();
    };
    if (delay) setTimeout(run, delay).unref();
    else setImmediate(run);
  }

  /** Writes what is queued (and what arrives meanwhile) until the queue is empty. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const run = async () => {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.write(batch);
          this.failures = 0;
          for (const p of batch) p.done?.();
        } catch (e) {
          // Durable callers learn of the failure; the others' records wait for the next flush.
          for (const p of batch) p.fail?.(e);
          this.queue.unshift(...batch.filter((p) => !p.fail));
          this.failures += 1;
          break;
        }
      }
    };
    // Cleared in a later turn than it is set, even when there is nothing to write.
    this.flushing = run().finally(() => {
      this.flushing = undefined;
      if (this.queue.length) this.schedule(Math.min(5000, 100 * 2 ** this.failures));
    });
    return this.flushing;
  }

  private async write(batch: Pending[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx);
      const head = await sql<{ seq: string; hash: string }>`select seq, hash from xr_message_log order by seq desc limit 1`.execute(trx);
      let seq = Number(head.rows[0]?.seq ?? 0);
      let prev = head.rows[0]?.hash ?? GENESIS;
      const texts: string[] = [];
      const digests: string[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      const bodies: { seq: number; b: LogBodies }[] = [];
      for (const p of batch) {
        const text = canonicalRecord({ ...p.entry, seq: ++seq, at: p.at.toISOString(), node: this.node });
        const digest = sha256Hex(text);
        const hash = chainHash(prev, digest);
        texts.push(text);
        digests.push(digest);
        prevs.push(prev);
        hashes.push(hash);
        if (p.bodies) bodies.push({ seq, b: p.bodies });
        prev = hash;
      }
      // The batch as one json array of the canonical texts (a json value keeps each element's text
      // verbatim, so `r::text` is the record as hashed) and the hex digests as comma lists: nothing
      // is serialised twice.
      await sql`
        insert into xr_message_log (seq, at, message_id, client, service, method, path, status, error, duration_ms, node, record, content_digest, prev_hash, hash)
        select (r->>'seq')::bigint, (r->>'at')::timestamptz, r->>'message_id', r->>'client', r->>'service', r->>'method', r->>'path',
               (r->>'status')::int, r->>'error', (r->>'duration_ms')::real, r->>'node', r::text, d.digest, d.prev, d.hash
        from json_array_elements(${`[${texts.join(',')}]`}::json) with ordinality as t(r, i)
        join unnest(string_to_array(${digests.join(',')}, ','), string_to_array(${prevs.join(',')}, ','), string_to_array(${hashes.join(',')}, ','))
             with ordinality as d(digest, prev, hash, i) using (i)`.execute(trx);
      for (const { seq: s, b } of bodies)
        await sql`insert into xr_message_body (seq, request, response, expires_at)
                  values (${s}, ${b.request}, ${b.response}, now() + make_interval(days => ${b.retentionDays}))`.execute(trx);
      await this.checkpointIfDue(trx, seq, prev, false);
    });
  }

  /** Signs the chain's head when enough records or time passed since the last checkpoint (or always, when forced). */
  private async checkpointIfDue(trx: Db, seq: number, hash: string, force: boolean): Promise<boolean> {
    if (seq === 0) return false;
    const last = await sql<{ seq: string; at: Date }>`select seq, at from xr_log_checkpoint order by seq desc limit 1`.execute(trx);
    const lastSeq = Number(last.rows[0]?.seq ?? 0);
    if (lastSeq >= seq) return false;
    const age = last.rows[0] ? Date.now() - last.rows[0].at.getTime() : Infinity;
    if (!force && seq - lastSeq < CHECKPOINT_EVERY && age < CHECKPOINT_MS) return false;
    this.key ??= await signingKey(trx, this.box);
    const at = new Date().toISOString();
    const statement = checkpointStatement(this.instance(), seq, hash, at);
    await sql`insert into xr_log_checkpoint (seq, hash, at, key_id, statement, signature)
              values (${seq}, ${hash}, ${at}, ${this.key.id}, ${statement}, ${signStatement(this.key.privateKey, statement)})`.execute(trx);
    return true;
  }

  /** Flushes, then signs the head if it is not signed yet (evidence export, shutdown, the timer). */
  async checkpoint(force = true): Promise<void> {
    await this.flush();
    await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx);
      const head = await sql<{ seq: string; hash: string }>`select seq, hash from xr_message_log order by seq desc limit 1`.execute(trx);
      if (head.rows[0]) await this.checkpointIfDue(trx, Number(head.rows[0].seq), head.rows[0].hash, force);
    });
  }

  start(): void {
    this.timer = setInterval(() => void this.checkpoint(false).catch(() => undefined), CHECKPOINT_MS);
    this.timer.unref();
  }

  /** On shutdown: everything queued is written and the head signed. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.checkpoint(true).catch(() => undefined);
  }
}
