import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { defineJob, JobQueue } from '../../src/platform/jobs/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

const waitFor = async (fn: () => Promise<boolean>, ms = 15000) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
};

const COUNT = defineJob<{ n: number }>('test.count');
const SHARE = defineJob<{ i: number }>('test.share');
const TX = defineJob<{ tag: string }>('test.tx');

describe('durable job queue', () => {
  it('queues a job inside the caller’s transaction: it exists only if that transaction commits', async () => {
    const q = new JobQueue(db.url, db.db);
    q.define(TX, async () => undefined);
    await q.start({ work: false });
    try {
      const jobsTagged = async (tag: string) =>
        Number(
          (await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'test.tx' and data->>'tag' = ${tag}`.execute(db.db)).rows[0]!.n,
        );
      let rolledBack = '';
      await expect(
        db.db.transaction().execute(async (trx) => {
          rolledBack = await q.enqueue(trx, TX, { tag: 'rollback' }, null);
          throw new Error('the write that asked for the job failed');
        }),
      ).rejects.toThrow(/failed/);
      expect(await jobsTagged('rollback')).toBe(0);
      expect(await q.get(rolledBack)).toBeUndefined();

      const committed = await db.db.transaction().execute((trx) => q.enqueue(trx, TX, { tag: 'commit' }, null));
      expect(await jobsTagged('commit')).toBe(1);
      expect((await q.get(committed))?.state).toBe('created');
      expect(() => q.define(TX, async () => undefined)).toThrow(/defined twice/);
    } finally {
      await q.stop();
    }
  });

  it('starts a job queued on another instance when its transaction commits, not at the next poll', async () => {
    const WAKE = defineJob<{ tag: string }>('test.wake');
    const ran: string[] = [];
    const worker = new JobQueue(db.url, db.db);
    worker.define(WAKE, async ({ tag }) => void ran.push(tag));
    // A poll this slow would leave the job waiting past the test's timeout: only the notification can start it.
    await worker.start({ work: true, pollSeconds: 600 });
    const producer = new JobQueue(db.url, db.db);
    producer.define(WAKE, async () => undefined);
    await producer.start({ work: false });
    try {
      await new Promise((r) => setTimeout(r, 300)); // the worker's first fetch, on start, found nothing
      await db.db.transaction().execute(async (trx) => {
        await producer.enqueue(trx, WAKE, { tag: 'a' }, null);
        await new Promise((r) => setTimeout(r, 500));
        expect(ran).toEqual([]); // announced only once the transaction commits
      });
      await waitFor(async () => ran.includes('a'), 20_000);
    } finally {
      await producer.stop();
      await worker.stop();
    }
  }, 40_000);

  it('keeps a job queued while no worker runs, and a restarted instance finishes it', async () => {
    const producer = new JobQueue(db.url, db.db);
    producer.define(COUNT, async () => undefined);
    await producer.start({ work: false });
    const id = await producer.enqueue(db.db, COUNT, { n: 3 }, null);
    await producer.stop();

    const seen: number[] = [];
    const worker = new JobQueue(db.url, db.db);
    worker.define(COUNT, async (data, ctx) => {
      for (let i = 1; i <= data.n; i++) {
        seen.push(i);
        await ctx.progress(i, data.n, `step ${i}`);
      }
      return { counted: data.n };
    });
    await worker.start({ work: true, pollSeconds: 0.5 });
    await waitFor(async () => (await worker.get(id))?.state === 'completed');
    const s = await worker.get(id);
    expect(s?.progress).toEqual({ done: 3, total: 3, message: 'step 3' });
    expect(s?.output).toEqual({ counted: 3 });
    expect(seen).toEqual([1, 2, 3]);
    await worker.stop();
  });

  it('lets two instances share one queue without running a job twice', async () => {
    const runs = new Map<number, number>();
    const mk = () => {
      const q = new JobQueue(db.url, db.db);
      q.define(SHARE, async ({ i }) => {
        runs.set(i, (runs.get(i) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20));
      });
      return q;
    };
    const a = mk();
    const b = mk();
    await a.start({ work: true, pollSeconds: 0.5 });
    await b.start({ work: true, pollSeconds: 0.5 });
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => a.enqueue(db.db, SHARE, { i }, null)));
    await waitFor(async () => (await Promise.all(ids.map((id) => a.get(id)))).every((s) => s?.state === 'completed'), 30000);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(20);
    await a.stop();
    await b.stop();
  });
});
