import type { Readable } from 'node:stream';
import { claimFile } from '../../platform/storage/index.js';
import { STATUS } from './codes.js';
import { EdxmlError } from './edxml/errors.js';
import { attachmentRows, businessOf, documentColumns, readStoredPackage, requestKey } from './ingest.js';
import { checkSignature, MAX_PACKAGE_BYTES, NAMESPACE } from './package-file.js';
import { attachmentRepo, documentRepo, eventRepo, orgRepo, receivedRepo, recipientRepo } from './repository.js';
import type { DocsDeps } from './send.js';
import { prepareStatus, queueStatus } from './statuses.js';
import { queueWebhooks } from './webhooks.js';

export interface Receipt {
  /** 01: taken in (arrived); `duplicate`: had it already (nothing changed). */
  status: '01' | 'duplicate';
  kind: 'document' | 'status' | 'recall' | 'update' | 'replace';
  /** The recipient's copy (a document) or the sender's document a status is about. */
  document: string | null;
}

export interface Incoming {
  /** The agency of this instance the package is for. */
  toOrgan: string;
  /** The sender's message id: a redelivery with the same id is a duplicate. */
  messageId: string;
  /** Who brought it: the exchange client, or `local` for an agency of this instance. */
  via: string;
  /** Whether the one who brought it may speak for this sender (its instance serves the organ code); absent: any. */
  mayCarry?: (fromOrgan: string) => Promise<boolean>;
  source: Readable;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
/** The sender's first TraceHeader time: when it sent this package. */
/**
 * Takes in one package for one agency of this instance: a document (new or a replacement), a
 * recall or update of one it has, or a status about one it sent. Stored and read first (a
 * malformed package is refused with an EdxmlError, status 02, naming the element); then one
 * transaction records it, its timeline entry and the automatic status back to the sender (01 for
 * a document, 13 for a recall or update). A package seen before — by message id, or by the
 * standard's key (sender, DocumentId, business type, recipient) — changes nothing.
 */
export async function receivePackage(deps: DocsDeps, inc: Incoming): Promise<Receipt> {
  const org = await orgRepo.byOrganCode(deps.db, inc.toOrgan);
  if (!org) {
    inc.source.resume();
    throw new EdxmlError('MessageHeader/To/OrganId', `${inc.toOrgan} is not an agency of this instance`);
  }
  const seen = await receivedRepo.seen(deps.db, inc.messageId);
  if (seen) {
    inc.source.resume();
    return { status: 'duplicate', kind: 'document', document: seen.document };
  }
  const stored = await deps.files.put(inc.source, MAX_PACKAGE_BYTES, NAMESPACE);
  let read;
  try {
    read = await readStoredPackage(deps.files, stored.key);
  } catch (e) {
    await deps.files.remove(stored.key);
    throw e;
  }
  const { pkg, attachments } = read;
  const discard = async () => {
    for (const k of [stored.key, ...attachments.map((a) => a.file_key)]) await deps.files.remove(k).catch(() => undefined);
  };
  try {
    const sender = (pkg.From as { OrganId: string }).OrganId;
    if (inc.mayCarry && !(await inc.mayCarry(sender)))
      throw new EdxmlError('MessageHeader/From/OrganId', `${sender} is not an agency of the instance that delivered it (${inc.via})`);
    if (pkg.kind === 'status') return await takeStatus();
    const business = businessOf(pkg);
    const to = (pkg.To as { OrganId: string }[]).map((t) => t.OrganId);
    if (!to.includes(inc.toOrgan)) throw new EdxmlError('MessageHeader/To', `does not name ${inc.toOrgan}, the agency it was delivered to`);
    if (business.type === '1' || business.type === '2') return await takeAction(business.type, business.documentId || String(pkg.DocumentId));
    return await takeDocument(business.type === '3' ? business.documentId : null);
  } catch (e) {
    await discard();
    throw e;
  }

  async function takeStatus(): Promise<Receipt> {
    const rf = (pkg.ResponseFor as { DocumentId: string }[])[0]!;
    const from = (pkg.From as { OrganId: string }).OrganId;
    const code = str(pkg.StatusCode);
    return deps.db
      .transaction()
      .execute(async (trx) => {
        const doc = await documentRepo.inBox(trx, org!.id, 'outbox', rf.DocumentId);
        if (!doc) throw new EdxmlError('MessageHeader/ResponseFor/DocumentId', `${rf.DocumentId} was not sent by ${inc.toOrgan}`);
        const r = (await recipientRepo.of(trx, doc.id)).some((x) => x.organ_id === from);
        if (!r) throw new EdxmlError('MessageHeader/From/OrganId', `${from} is not a recipient of ${rf.DocumentId}`);
        if (!(await receivedRepo.firstTime(trx, inc.messageId)).first) return { status: 'duplicate' as const, kind: 'status' as const, document: doc.id };
        await receivedRepo.link(trx, inc.messageId, doc.id);
        const description = str(pkg.Description);
        await recipientRepo.set(trx, doc.id, from, {
          status: code,
          status_description: description,
          status_at: new Date(),
          ...(code === '15' && doc.pending_action === '1' ? { recalled: true } : {}),
        });
        await eventRepo.add(trx, [
          { document: doc.id, organ_id: from, kind: 'status', code, description: description || (STATUS[code]?.vi ?? ''), actor: inc.via },
        ]);
        return { status: '01' as const, kind: 'status' as const, document: doc.id };
      })
      .finally(discard);
  }

  /** A recall (1) or update (2) of a document this agency received from the same sender. */
  async function takeAction(type: '1' | '2', target: string): Promise<Receipt> {
    const from = (pkg.From as { OrganId: string }).OrganId;
    const doc = await documentRepo.inBox(deps.db, org!.id, 'inbox', target, from);
    if (!doc) throw new EdxmlError('TraceHeaderList/Bussiness/DocumentId', `${target} from ${from} is not in the inbox of ${inc.toOrgan}`);
    const statusKey = await prepareStatus(deps, doc, '13', type === '1' ? 'Đã nhận yêu cầu thu hồi' : 'Đã nhận yêu cầu cập nhật');
    const receipt = await deps.db.transaction().execute(async (trx) => {
      if (!(await receivedRepo.firstTime(trx, inc.messageId)).first) return null;
      // A document may be updated more than once: each request is told apart by its trace time and header.
      const key = { from_organ: from, document_id: String(pkg.DocumentId), business_type: `${type}@${requestKey(pkg)}`, to_organ: inc.toOrgan };
      if (!(await receivedRepo.dedup(trx, key, doc.id)).first) return null;
      await receivedRepo.link(trx, inc.messageId, doc.id);
      await documentRepo.lock(trx, doc.id);
      await documentRepo.update(trx, doc.id, { pending_action: type, pending_header: type === '2' ? pkg : null });
      await eventRepo.add(trx, [
        {
          document: doc.id,
          organ_id: from,
          kind: type === '1' ? 'recall-requested' : 'update-requested',
          code: '13',
          description: businessOf(pkg).reason,
          actor: inc.via,
        },
      ]);
      await queueStatus(trx, doc, statusKey);
      await queueWebhooks(trx, deps.jobs, org!.id, type === '1' ? 'document.recall_requested' : 'document.update_requested', doc.id);
      return { status: '01' as const, kind: type === '1' ? ('recall' as const) : ('update' as const), document: doc.id };
    });
    await discard();
    if (!receipt) {
      await deps.files.remove(statusKey).catch(() => undefined);
      return { status: 'duplicate', kind: type === '1' ? 'recall' : 'update', document: doc.id };
    }
    deps.kick();
    return receipt;
  }

  /** A new document, or one that replaces (3) a document this agency has from the same sender. */
  async function takeDocument(replaces: string | null): Promise<Receipt> {
    const cols = documentColumns(pkg);
    const signature = await checkSignature(deps.files, stored.key, stored.size, (pkg.Signature as { present: boolean }).present);
    const statusKey = await prepareStatus(deps, { org_id: org!.id, ...cols }, '01', 'Văn bản đã đến');
    const kind = replaces ? ('replace' as const) : ('document' as const);
    const receipt = await deps.db.transaction().execute(async (trx) => {
      const byId = await receivedRepo.firstTime(trx, inc.messageId);
      if (!byId.first) return { status: 'duplicate' as const, kind, document: byId.document };
      const key = { from_organ: cols.from_organ, document_id: cols.document_id, business_type: replaces ? '3' : '0', to_organ: inc.toOrgan };
      const byKey = await receivedRepo.dedup(trx, key, null);
      if (!byKey.first) return { status: 'duplicate' as const, kind, document: byKey.document };
      const old = replaces ? await documentRepo.inBox(trx, org!.id, 'inbox', replaces) : undefined;
      const d = await documentRepo.insert(trx, {
        org_id: org!.id,
        box: 'inbox',
        ...cols,
        header: pkg,
        package_key: stored.key,
        package_size: stored.size,
        package_sha256: stored.sha256,
        signature,
        status: '01',
        created_by: null,
        replaces: old?.id ?? null,
      });
      await receivedRepo.setDedupDocument(trx, key, d.id);
      await receivedRepo.link(trx, inc.messageId, d.id);
      await claimFile(trx, stored.key, `document:${d.id}`);
      for (const a of attachments) await claimFile(trx, a.file_key, `document:${d.id}`);
      await attachmentRepo.insert(trx, attachmentRows(d.id, attachments));
      await eventRepo.add(trx, [
        { document: d.id, organ_id: cols.from_organ, kind: 'received', code: '01', description: '', actor: inc.via },
        ...(old ? [{ document: old.id, organ_id: cols.from_organ, kind: 'replaced', code: null, description: cols.document_id, actor: inc.via }] : []),
      ]);
      if (old) await documentRepo.update(trx, old.id, { replaced_by: d.id });
      await queueStatus(trx, d, statusKey);
      await queueWebhooks(trx, deps.jobs, org!.id, 'document.received', d.id);
      return { status: '01' as const, kind, document: d.id };
    });
    if (receipt.status === 'duplicate') {
      await discard();
      await deps.files.remove(statusKey).catch(() => undefined);
      return receipt;
    }
    deps.kick();
    return receipt;
  }
}
