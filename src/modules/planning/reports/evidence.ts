import type { Readable } from 'node:stream';
import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { badRequest, conflict, notFound, tooLarge } from '../../../platform/http/index.js';
import { claimFile, releaseFiles, safeFilename, TooLargeError, type FileStore, type StoredFile } from '../../../platform/storage/index.js';
import { reportRepo } from './repository.js';
import { editable, getReport } from './service.js';
import type { EvidenceFileRow } from '../tables.js';

/** The largest evidence file, and how many a task's section may hold. */
export const EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;
export const EVIDENCE_PER_TASK = 10;
const NAMESPACE = 'planning';
const NO_FILE = { vi: 'Không có tệp minh chứng này.', en: 'No such evidence file.' };

/** Streams an evidence file to the store (never held in memory), cut off past the limit. */
export async function storeEvidenceFile(files: FileStore, source: Readable): Promise<StoredFile> {
  try {
    return await files.put(source, EVIDENCE_MAX_BYTES, NAMESPACE);
  } catch (e) {
    if (e instanceof TooLargeError) throw tooLarge('file_too_large', { vi: 'Tệp lớn hơn 20 MB.', en: 'The file is larger than 20 MB.' }, 'file');
    throw e;
  }
}

async function checked(trx: Db, p: Principal, year: number, orgRef: string, ref: string) {
  const { view, row } = await editable(trx, p, year, orgRef);
  const task = view.tasks.find((t) => t.task.ref === ref)?.task;
  if (!task) throw badRequest('unknown_task', { vi: 'Đơn vị không có nhiệm vụ này trong kỳ báo cáo.', en: 'The unit has no such task in this round.' }, 'task');
  if ((await reportRepo.fileCount(trx, row.id, task.id)) >= EVIDENCE_PER_TASK)
    throw conflict('too_many_files', { vi: 'Mỗi nhiệm vụ có tối đa {n} tệp minh chứng.', en: 'A task holds at most {n} evidence files.' }, 'file', {
      n: EVIDENCE_PER_TASK,
    });
  return { view, row, task };
}

/**
 * Attaches a stored file to a task's section while the report is the unit's to edit: the report
 * is locked and checked, the file claimed with its row; if anything refuses it, the file is removed.
 */
export async function attachEvidence(
  db: Db,
  files: FileStore,
  p: Principal,
  actor: AuditActor,
  year: number,
  orgRef: string,
  input: { task: string; name: string; contentType: string; stored: StoredFile },
): Promise<EvidenceFileRow> {
  const { stored } = input;
  try {
    return await db.transaction().execute(async (trx) => {
      const { view, row, task } = await checked(trx, p, year, orgRef, input.task);
      const file = await reportRepo.insertFile(trx, {
        report_id: row.id,
        task_id: task.id,
        file_key: stored.key,
        name: safeFilename(input.name) || 'minh-chung',
        content_type: input.contentType.slice(0, 200) || 'application/octet-stream',
        size: String(stored.size),
        sha256: stored.sha256,
        created_by: actor.userId,
      });
      await claimFile(trx, stored.key, `plan_report:${row.id}`);
      await recordAudit(trx, actor, {
        action: 'planning.report.evidence.add',
        entityType: 'plan_report',
        entityId: row.id,
        details: { year, org: view.org.slug, task: task.ref, name: file.name, size: stored.size, sha256: stored.sha256 },
      });
      return file;
    });
  } catch (e) {
    await files.remove(stored.key).catch(() => undefined);
    throw e;
  }
}

/**
 * The API's way: the request is checked before its body is read (a refused one stores nothing),
 * then the body is streamed to the store and attached.
 */
export async function addEvidence(
  db: Db,
  files: FileStore,
  p: Principal,
  actor: AuditActor,
  year: number,
  orgRef: string,
  input: { task: string; name: string; contentType: string; source: Readable },
): Promise<EvidenceFileRow> {
  try {
    await db.transaction().execute((trx) => checked(trx, p, year, orgRef, input.task));
  } catch (e) {
    input.source.resume();
    throw e;
  }
  const stored = await storeEvidenceFile(files, input.source);
  return attachEvidence(db, files, p, actor, year, orgRef, { ...input, stored });
}

/** An evidence file for whoever may read the report. */
export async function evidenceFile(db: Db, p: Principal, year: number, orgRef: string, id: string): Promise<EvidenceFileRow> {
  const view = await getReport(db, p, year, orgRef);
  const file = /^[0-9a-f-]{36}$/.test(id) ? view.files.find((f) => f.id === id) : undefined;
  if (!file) throw notFound('file_not_found', NO_FILE);
  return file;
}

/** Removes an evidence file while the report is the unit's to edit. */
export async function removeEvidence(db: Db, p: Principal, actor: AuditActor, year: number, orgRef: string, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { view, row } = await editable(trx, p, year, orgRef);
    const file = /^[0-9a-f-]{36}$/.test(id) ? await reportRepo.file(trx, id) : undefined;
    if (!file || file.report_id !== row.id) throw notFound('file_not_found', NO_FILE);
    await reportRepo.deleteFile(trx, id);
    await releaseFiles(trx, [file.file_key]);
    await recordAudit(trx, actor, {
      action: 'planning.report.evidence.remove',
      entityType: 'plan_report',
      entityId: row.id,
      details: { year, org: view.org.slug, name: file.name },
    });
  });
}

/** Whether a stored file became evidence (a form's file that did not is removed after the response). */
export const evidenceStored = async (db: Db, key: string): Promise<boolean> => reportRepo.hasFileKey(db, key);
