import { AUDIT_VERIFY_JOB, countAudit, verifyAudit } from '../platform/audit/index.js';
import type { Db } from '../platform/db/index.js';
import { JobQueue } from '../platform/jobs/index.js';

/** The job queue with the platform's own handlers; modules add theirs in defineJobs. */
export function createJobQueue(url: string, db: Db, log: (m: string, e?: unknown) => void): JobQueue {
  const jobs = new JobQueue(url, db, log);
  jobs.define(AUDIT_VERIFY_JOB, async (_data, ctx) => {
    const total = await countAudit(db);
    const result = await verifyAudit(db, (done) => void ctx.progress(done, total, 'verifying'));
    await ctx.progress(result.checked, total, result.ok ? 'ok' : `bad record ${result.firstBad?.stream}/${result.firstBad?.seq}`);
    return result;
  });
  return jobs;
}
