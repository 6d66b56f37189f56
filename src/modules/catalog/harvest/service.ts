import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import { requireSysadmin, type Principal } from '../../../platform/auth/index.js';
import { inTransaction, type Db } from '../../../platform/db/index.js';
import { badRequest, conflict, notFound } from '../../../platform/http/index.js';
import { defineJob, type JobQueue } from '../../../platform/jobs/index.js';
import { cleanText } from '../../../platform/text/index.js';
import { resolveOrgId } from '../validate.js';
import { runRepo, sourceRepo } from './repository.js';
import type { HarvestRunRow, HarvestSchedule, HarvestSourceRow, HarvestType } from './tables.js';

export const HARVEST_JOB = defineJob<{ runId: string }>('catalog.harvest');
export const HARVEST_DUE_JOB = defineJob('catalog.harvest-due');
const NOT_FOUND = { vi: 'Không tìm thấy nguồn thu thập.', en: 'Harvest source not found.' };

export interface SourceInput {
  name?: string;
  title?: string;
  type?: HarvestType;
  url?: string;
  ownerOrg?: string;
  schedule?: HarvestSchedule;
  fq?: string | null;
  active?: boolean;
}

function checkUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw badRequest('invalid_url', { vi: 'Địa chỉ nguồn không hợp lệ.', en: 'Invalid source URL.' }, 'url');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw badRequest('invalid_url', { vi: 'Chỉ hỗ trợ http và https.', en: 'Only http and https are supported.' }, 'url');
  return u.toString().replace(/\/$/, '');
}

export async function listSources(db: Db, p: Principal): Promise<HarvestSourceRow[]> {
  requireSysadmin(p);
  return sourceRepo.list(db);
}

export async function getSource(db: Db, p: Principal, idOrName: string): Promise<{ source: HarvestSourceRow; runs: HarvestRunRow[] }> {
  requireSysadmin(p);
  const source = await sourceRepo.find(db, idOrName);
  if (!source) throw notFound('harvest_source_not_found', NOT_FOUND, 'id');
  return { source, runs: await runRepo.forSource(db, source.id, 20) };
}

export async function createSource(
  db: Db,
  p: Principal,
  actor: AuditActor,
  input: Required<Pick<SourceInput, 'name' | 'title' | 'type' | 'url' | 'ownerOrg'>> & SourceInput,
): Promise<HarvestSourceRow> {
  requireSysadmin(p);
  return db.transaction().execute(async (trx) => {
    if (await sourceRepo.find(trx, input.name))
      throw conflict('name_taken', { vi: 'Tên nguồn đã được dùng.', en: 'That source name is already in use.' }, 'name');
    const source = await sourceRepo.insert(trx, {
      name: input.name,
      title: cleanText(input.title),
      type: input.type,
      url: checkUrl(input.url),
      owner_org: await resolveOrgId(trx, 'ownerOrg', input.ownerOrg),
      schedule: input.schedule ?? 'manual',
      fq: input.fq ?? null,
    });
    await recordAudit(trx, actor, {
      action: 'harvest.source.create',
      entityType: 'harvest_source',
      entityId: source.id,
      details: { name: source.name, url: source.url },
    });
    return source;
  });
}

export async function updateSource(db: Db, p: Principal, actor: AuditActor, idOrName: string, input: SourceInput): Promise<HarvestSourceRow> {
  requireSysadmin(p);
  return db.transaction().execute(async (trx) => {
    const source = await sourceRepo.find(trx, idOrName);
    if (!source) throw notFound('harvest_source_not_found', NOT_FOUND, 'id');
    const updated = await sourceRepo.update(trx, source.id, {
      ...(input.title !== undefined ? { title: cleanText(input.title) } : {}),
      ...(input.url !== undefined ? { url: checkUrl(input.url) } : {}),
      ...(input.ownerOrg !== undefined ? { owner_org: await resolveOrgId(trx, 'ownerOrg', input.ownerOrg) } : {}),
      ...(input.schedule !== undefined ? { schedule: input.schedule } : {}),
      ...(input.fq !== undefined ? { fq: input.fq } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
    });
    await recordAudit(trx, actor, {
      action: 'harvest.source.update',
      entityType: 'harvest_source',
      entityId: source.id,
      details: { fields: Object.keys(input) },
    });
    return updated;
  });
}

export async function deleteSource(db: Db, p: Principal, actor: AuditActor, idOrName: string): Promise<void> {
  requireSysadmin(p);
  await db.transaction().execute(async (trx) => {
    const source = await sourceRepo.find(trx, idOrName);
    if (!source) throw notFound('harvest_source_not_found', NOT_FOUND, 'id');
    await sourceRepo.remove(trx, source.id);
    await recordAudit(trx, actor, { action: 'harvest.source.delete', entityType: 'harvest_source', entityId: source.id, details: { name: source.name } });
  });
}

/** Queues a run; a full run also deletes local copies of datasets gone from the source. */
export async function startRun(
  db: Db,
  jobs: JobQueue,
  p: Principal | null,
  actor: AuditActor,
  idOrName: string,
  mode: 'full' | 'incremental',
): Promise<HarvestRunRow & { job_id: string }> {
  if (p) requireSysadmin(p);
  const source = await sourceRepo.find(db, idOrName);
  if (!source) throw notFound('harvest_source_not_found', NOT_FOUND, 'id');
  // The run, its audit record and its job commit together: no run is left without a job.
  return inTransaction(db, async (trx) => {
    const r = await runRepo.insert(trx, { source_id: source.id, mode: mode === 'incremental' && source.last_modified_seen ? 'incremental' : 'full' });
    await recordAudit(trx, actor, { action: 'harvest.run.start', entityType: 'harvest_source', entityId: source.id, details: { runId: r.id, mode: r.mode } });
    const jobId = await jobs.enqueue(trx, HARVEST_JOB, { runId: r.id }, p?.user?.id ?? null);
    await runRepo.update(trx, r.id, { job_id: jobId });
    return { ...r, job_id: jobId };
  });
}

export async function getRun(db: Db, p: Principal, id: string): Promise<HarvestRunRow> {
  requireSysadmin(p);
  const run = await runRepo.find(db, id);
  if (!run) throw notFound('harvest_run_not_found', { vi: 'Không tìm thấy lần thu thập.', en: 'Harvest run not found.' }, 'id');
  return run;
}

/**
 * Queues a run for every scheduled source that is due (called by a recurring job). Scheduled runs
 * are full runs: reading the source is cheap (unchanged datasets are not rewritten) and only a
 * full run notices datasets removed at the source.
 */
export async function startDueRuns(db: Db, jobs: JobQueue): Promise<number> {
  const due = await sourceRepo.due(db);
  for (const s of due) await startRun(db, jobs, null, { userId: null, label: 'harvest-scheduler', ip: null }, s.id, 'full');
  return due.length;
}
