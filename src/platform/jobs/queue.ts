import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { inTransaction, type Db } from '../db/index.js';

type JobTables = {
  job_info: {
    id: string;
    queue: string;
    created_by: string | null;
    done: number;
    total: number | null;
    message: string | null;
    created_at: Date;
    updated_at: Date;
  };
};

export interface JobContext {
  jobId: string;
  /** Records progress; cheap enough to call every few thousand rows. */
  progress(done: number, total?: number | null, message?: string): Promise<void>;
}

export type JobHandler<T> = (data: T, ctx: JobContext) => Promise<unknown>;

/** A kind of job: its queue name and (in the type) its payload. Declared once, by the module that runs it. */
export interface JobKind<T extends object> {
  readonly name: string;
  /** Only carries the payload type. */
  readonly payload?: T;
}

/** How a failed job is tried again: how many more times, after how long, doubling (with jitter, pg-boss's) when `backoff`. */
export interface RetryPolicy {
  limit?: number;
  delaySeconds?: number;
  backoff?: boolean;
}

export const defineJob = <T extends object = Record<string, never>>(name: string): JobKind<T> => ({ name });

export interface JobStatus {
  id: string;
  queue: string;
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed' | 'unknown';
  createdBy: string | null;
  progress: { done: number; total: number | null; message: string | null };
  output: unknown;
  createdAt: string;
  updatedAt: string;
}

/** The channel a queued job is announced on (NOTIFY is delivered when the enqueuing transaction commits). */
const CHANNEL = 'tinhso_jobs';

/**
 * A durable job queue in PostgreSQL (pg-boss: SKIP LOCKED polling, so several server instances
 * share one queue safely, and queued jobs survive restarts) plus progress rows of our own. A job
 * is also announced with NOTIFY, so an idle worker on any instance starts it at once instead of
 * at its next poll (the poll stays, for a missed notification).
 */
export class JobQueue {
  private boss: PgBoss | undefined;
  private listener: pg.Client | undefined;
  private readonly workers = new Map<string, string>();
  private readonly handlers = new Map<string, JobHandler<never>>();
  private readonly crons = new Map<string, string>();

  constructor(
    private readonly url: string,
    private readonly db: Db,
    private readonly log: (msg: string, err?: unknown) => void = () => undefined,
  ) {}

  define<T extends object>(kind: JobKind<T>, handler: JobHandler<T>): void {
    if (this.handlers.has(kind.name)) throw new Error(`Job ${kind.name} is defined twice`);
    this.handlers.set(kind.name, handler as JobHandler<never>);
  }

  /** Runs a defined job on a cron schedule (UTC); pg-boss makes sure only one instance fires it. */
  every(kind: JobKind<Record<string, never>>, cron: string): void {
    this.crons.set(kind.name, cron);
  }

  queues(): string[] {
    return [...this.handlers.keys()];
  }

  /** Starts pg-boss; with `work` this instance also runs the defined handlers. */
  async start(opts: { work: boolean; pollSeconds?: number }): Promise<void> {
    const boss = new PgBoss({ connectionString: this.url, schema: 'pgboss', max: 4, application_name: 'tinhso-jobs' });
    boss.on('error', (e) => this.log('job queue error', e));
    await boss.start();
    this.boss = boss;
    for (const [queue, handler] of this.handlers) {
      await boss.createQueue(queue);
      if (!opts.work) continue;
      const cron = this.crons.get(queue);
      if (cron) await boss.schedule(queue, cron, {});
      // batchSize 1: the handler's return value becomes the job's output.
      const worker = await boss.work(queue, { batchSize: 1, pollingIntervalSeconds: opts.pollSeconds ?? 1 }, async ([job]) => {
        if (!job) return undefined;
        const ctx: JobContext = { jobId: job.id, progress: (done, total, message) => this.setProgress(job.id, done, total, message) };
        return handler(job.data as never, ctx);
      });
      this.workers.set(queue, worker);
    }
    if (opts.work) await this.listen(boss);
  }

  /** Wakes this instance's worker of a queue when a job is announced on it. */
  private async listen(boss: PgBoss): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'tinhso-jobs-listen' });
    client.on('error', (e) => this.log('job notification connection lost; polling only', e));
    client.on('notification', (n) => {
      const worker = n.payload ? this.workers.get(n.payload) : undefined;
      if (worker) boss.notifyWorker(worker);
    });
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
    this.listener = client;
  }

  async stop(): Promise<void> {
    const boss = this.boss;
    this.boss = undefined;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    if (boss) await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  private requireBoss(): PgBoss {
    if (!this.boss) throw new Error('Job queue not started');
    return this.boss;
  }

  /**
   * Queues a job through `db`: inside the caller's transaction when `db` is one, so the job and the
   * write that asked for it commit or roll back together (pg-boss inserts through our executor).
   */
  async enqueue<T extends object>(db: Db, kind: JobKind<T>, data: T, createdBy: string | null, retry: RetryPolicy = {}): Promise<string> {
    const queue = kind.name;
    if (!this.handlers.has(queue)) throw new Error(`Unknown job queue ${queue}`);
    const boss = this.requireBoss();
    return inTransaction(db, async (trx) => {
      const executor = { executeSql: async (text: string, values: unknown[]) => trx.executeQuery(CompiledQuery.raw(text, values)) };
      const id = await boss.send(queue, data, {
        retryLimit: retry.limit ?? 2,
        ...(retry.delaySeconds !== undefined ? { retryDelay: retry.delaySeconds, retryBackoff: retry.backoff ?? false } : {}),
        expireInSeconds: 6 * 3600,
        db: executor,
      });
      if (!id) throw new Error(`Job not queued on ${queue}`);
      await sql`select pg_notify(${CHANNEL}, ${queue})`.execute(trx);
      await trx
        .withTables<JobTables>()
        .insertInto('job_info')
        .values({ id, queue, created_by: createdBy, done: 0, total: null, message: null } as never)
        .execute();
      return id;
    });
  }

  async setProgress(id: string, done: number, total?: number | null, message?: string): Promise<void> {
    await this.db
      .withTables<JobTables>()
      .updateTable('job_info')
      .set({ done, ...(total !== undefined ? { total } : {}), ...(message !== undefined ? { message } : {}), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  async get(id: string): Promise<JobStatus | undefined> {
    const info = await this.db.withTables<JobTables>().selectFrom('job_info').selectAll().where('id', '=', id).executeTakeFirst();
    if (!info) return undefined;
    const job = await this.requireBoss().getJobById(info.queue, id, { includeArchive: true });
    return {
      id,
      queue: info.queue,
      state: (job?.state as JobStatus['state']) ?? 'unknown',
      createdBy: info.created_by,
      progress: { done: Number(info.done), total: info.total === null ? null : Number(info.total), message: info.message },
      output: job?.output ?? null,
      createdAt: info.created_at.toISOString(),
      updatedAt: info.updated_at.toISOString(),
    };
  }
}
