import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/platform/jobs/index.js';
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

describe('durable job queue', () => {
  it('keeps a job queued while no worker runs, and a restarted instance finishes it', async () => {
    const producer = new JobQueue(db.url, db.db);
    producer.define<{ n: number }>('test.count', async () => undefined);
    await producer.start({ work: false });
    const id = await producer.enqueue('test.count', { n: 3 }, null);
    await producer.stop();

    const seen: number[] = [];
    const worker = new JobQueue(db.url, db.db);
    worker.define<{ n: number }>('test.count', async (data, ctx) => {
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
      q.define<{ i: number }>('test.share', async ({ i }) => {
        runs.set(i, (runs.get(i) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20));
      });
      return q;
    };
    const a = mk();
    const b = mk();
    await a.start({ work: true, pollSeconds: 0.5 });
    await b.start({ work: true, pollSeconds: 0.5 });
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => a.enqueue('test.share', { i }, null)));
    await waitFor(async () => (await Promise.all(ids.map((id) => a.get(id)))).every((s) => s?.state === 'completed'), 30000);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(20);
    await a.stop();
    await b.stop();
  });
});
