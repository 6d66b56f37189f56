import { Readable } from 'node:stream';
import type { AuditActor } from '../../platform/audit/index.js';
import type { Principal } from '../../platform/auth/index.js';
import { definePort } from '../../platform/index.js';
import type { ComposeInput } from './compose.js';
import { requireClerk } from './access.js';
import { sendComposed, type DocsDeps } from './send.js';
import { storeUpload } from './uploads.js';

export interface OutboxFile {
  name: string;
  contentType: string;
  body: Buffer;
}

/** Sending an official document from another module: the same checks, signature and delivery as the compose form. */
export interface DocumentsOutbox {
  send(
    p: Principal,
    actor: AuditActor,
    orgId: string,
    input: Omit<ComposeInput, 'attachments'>,
    files: OutboxFile[],
  ): Promise<{ id: string; documentId: string }>;
}

export const DOCUMENTS_OUTBOX = definePort<DocumentsOutbox>('documents.outbox');

export const outboxOf = (deps: DocsDeps): DocumentsOutbox => ({
  async send(p, actor, orgId, input, files) {
    // Before anything is stored: only the organization's clerks send its documents.
    requireClerk(p, orgId);
    const keys: string[] = [];
    for (const f of files) keys.push((await storeUpload(deps, p, actor, Readable.from([f.body]), f.name, f.contentType)).key);
    const doc = await sendComposed(deps, p, actor, orgId, { ...input, attachments: keys });
    return { id: doc.id, documentId: doc.document_id };
  },
});
