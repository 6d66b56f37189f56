import type { Readable } from 'node:stream';
import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { requireUser, type Principal } from '../../platform/auth/index.js';
import { tooLarge } from '../../platform/http/index.js';
import { safeFilename, TooLargeError } from '../../platform/storage/index.js';
import { NAMESPACE } from './package-file.js';
import type { DocsDeps } from './send.js';
import type { DocumentsTables } from './tables.js';

/** The largest attachment, for the API and the compose form alike. */
export const MAX_ATTACHMENT_BYTES = 250 * 1024 * 1024;

/** Stores a raw upload for the caller: kept for a day unless a document claims it. */
export async function storeUpload(deps: DocsDeps, p: Principal, actor: AuditActor, source: Readable, name: string, contentType: string) {
  const user = requireUser(p);
  let stored;
  try {
    stored = await deps.files.put(source, MAX_ATTACHMENT_BYTES, NAMESPACE);
  } catch (e) {
    if (!(e instanceof TooLargeError)) throw e;
    throw tooLarge('upload_too_large', { vi: 'Tệp lớn hơn 250 MB.', en: 'The file is larger than 250 MB.' }, 'file');
  }
  const row = {
    file_key: stored.key,
    user_id: user.id,
    name: safeFilename(name) || 'tep-dinh-kem',
    content_type: contentType.slice(0, 200) || 'application/octet-stream',
    size: stored.size,
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx.withTables<DocumentsTables>().insertInto('doc_upload').values(row).execute();
    await recordAudit(trx, actor, {
      action: 'documents.upload',
      entityType: 'stored_file',
      entityId: null,
      details: { name: row.name, size: row.size, sha256: stored.sha256 },
    });
  });
  return { key: stored.key, name: row.name, content_type: row.content_type, size: stored.size, sha256: stored.sha256 };
}
