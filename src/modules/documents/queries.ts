import type { Principal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { badRequest, FieldErrors, notFound } from '../../platform/http/index.js';
import { foldVi } from '../../platform/text/index.js';
import { mayHandle, requireReader } from './access.js';
import { nextStatuses } from './codes.js';
import { edxmlDate } from './edxml/read.js';
import { attachmentRepo, deliveryRepo, documentRepo, eventRepo, recipientRepo } from './repository.js';
import type { Box, DocumentRow, DocumentsTables } from './tables.js';

const q = (db: Db) => db.withTables<DocumentsTables>();

export interface BoxQuery {
  /** Cursor: documents after this sequence number (oldest first), as an agency system polls. */
  after?: number;
  /** Documents that came in (or were sent) at or after this time (ISO 8601). */
  since?: string;
  /** Words of the number, subject, sender or content, accents ignored. */
  q?: string;
  /** dd/mm/yyyy or yyyy-mm-dd: promulgation date range. */
  from_date?: string;
  to_date?: string;
  /** The other side: sender (inbox) organ code. */
  organ?: string;
  status?: string;
  limit?: number;
}

export type DocumentSummary = Pick<
  DocumentRow,
  | 'id'
  | 'seq'
  | 'box'
  | 'document_id'
  | 'from_organ'
  | 'from_name'
  | 'code_number'
  | 'code_notation'
  | 'promulgation_date'
  | 'type_name'
  | 'subject'
  | 'priority'
  | 'due_date'
  | 'status'
  | 'pending_action'
  | 'recalled'
  | 'replaced_by'
  | 'acknowledged_at'
  | 'created_at'
>;

const SUMMARY = [
  'id',
  'seq',
  'box',
  'document_id',
  'from_organ',
  'from_name',
  'code_number',
  'code_notation',
  'promulgation_date',
  'type_name',
  'subject',
  'priority',
  'due_date',
  'status',
  'pending_action',
  'recalled',
  'replaced_by',
  'acknowledged_at',
  'created_at',
] as const;

/**
 * An organization's inbox or outbox, for its members. With `after` (or `since`) the oldest first
 * and `next` the cursor to ask from next time — an agency system's poll that never misses or
 * repeats a document; otherwise the newest first, a page at a time.
 */
export async function listBox(db: Db, p: Principal, orgId: string, box: Box, query: BoxQuery): Promise<{ items: DocumentSummary[]; next: number | null }> {
  requireReader(p, orgId);
  const errors = new FieldErrors();
  const limit = Math.min(Math.max(Number(query.limit ?? 50) || 50, 1), 500);
  const date = (field: 'from_date' | 'to_date') => {
    const v = query[field]?.trim();
    if (!v) return null;
    const d = edxmlDate(v.replaceAll('-', '/'));
    if (!d) errors.add(badRequest('invalid_date', { vi: 'Ngày: dd/mm/yyyy.', en: 'Date: dd/mm/yyyy.' }, field));
    return d?.replaceAll('/', '-') ?? null;
  };
  const fromDate = date('from_date');
  const toDate = date('to_date');
  const since = query.since ? new Date(query.since) : null;
  if (since && Number.isNaN(since.getTime())) errors.add(badRequest('invalid_time', { vi: 'Thời điểm: ISO 8601.', en: 'Time: ISO 8601.' }, 'since'));
  errors.throwIfAny();
  const polling = query.after !== undefined || since !== null;
  let sel = q(db).selectFrom('doc_document').select(SUMMARY).where('org_id', '=', orgId).where('box', '=', box);
  if (query.after !== undefined) sel = sel.where('seq', '>', Number(query.after));
  if (since) sel = sel.where('created_at', '>=', since);
  if (fromDate) sel = sel.where('promulgation_date', '>=', fromDate);
  if (toDate) sel = sel.where('promulgation_date', '<=', toDate);
  if (query.organ) sel = sel.where('from_organ', '=', query.organ.trim().toUpperCase());
  if (query.status) sel = sel.where('status', '=', query.status);
  const words = foldVi(query.q ?? '')
    .split(/\s+/)
    .filter(Boolean);
  for (const w of words) sel = sel.where('search_text', 'like', `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const rows = (await sel
    .orderBy('seq', polling ? 'asc' : 'desc')
    .limit(limit + 1)
    .execute()) as DocumentSummary[];
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  return { items, next: polling ? (items.at(-1)?.seq ?? query.after ?? null) : more ? items.at(-1)!.seq : null };
}

/** Older page of a box listing (newest first): documents before this sequence number. */
export async function olderPage(db: Db, p: Principal, orgId: string, box: Box, before: number, limit = 50): Promise<DocumentSummary[]> {
  requireReader(p, orgId);
  return (await q(db)
    .selectFrom('doc_document')
    .select(SUMMARY)
    .where('org_id', '=', orgId)
    .where('box', '=', box)
    .where('seq', '<', before)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute()) as DocumentSummary[];
}

/** One document with everything its page shows: attachments, recipients, timeline, deliveries, what the viewer may do. */
export async function documentView(db: Db, p: Principal, id: string) {
  const doc = await documentRepo.find(db, id);
  if (!doc) throw notFound('not_found', { vi: 'Không có văn bản này.', en: 'No such document.' });
  requireReader(p, doc.org_id);
  const [attachments, recipients, events, deliveries] = await Promise.all([
    attachmentRepo.of(db, id),
    recipientRepo.of(db, id),
    eventRepo.of(db, id),
    deliveryRepo.ofDocument(db, id),
  ]);
  const handle = mayHandle(p, doc.org_id);
  const next = doc.box === 'inbox' && handle ? nextStatuses(doc.recalled ? '15' : doc.status, doc.pending_action !== null) : [];
  const { search_text: _s, pending_header: _h, ...rest } = doc;
  return {
    ...rest,
    attachments: attachments.map(({ file_key: _k, ...a }) => a),
    recipients,
    events,
    deliveries: deliveries.map((d) => ({
      id: d.id,
      kind: d.kind,
      to_organ: d.to_organ,
      state: d.state,
      attempts: d.attempts,
      next_at: d.next_at,
      last_error: d.last_error,
      delivered_at: d.delivered_at,
    })),
    may: {
      handle,
      next_statuses: next,
      recall: doc.box === 'outbox' && handle && !doc.recalled && !doc.replaced_by,
      update: doc.box === 'outbox' && handle && !doc.recalled && !doc.replaced_by,
      replace: doc.box === 'outbox' && handle && !doc.replaced_by,
    },
  };
}

export type DocumentView = Awaited<ReturnType<typeof documentView>>;

/** The organizations the viewer may open boxes of, with how many received documents are not finished. */
export async function myBoxes(db: Db, p: Principal): Promise<{ id: string; slug: string; name: string; organ_code: string | null; open: number }[]> {
  const ids = [...p.memberships.keys()];
  if (!ids.length) return [];
  const rows = await q(db)
    .selectFrom('organization as o')
    .leftJoin('doc_document as d', (j) =>
      j
        .onRef('d.org_id', '=', 'o.id')
        .on('d.box', '=', 'inbox')
        .on((e) => e.or([e('d.status', 'is', null), e('d.status', 'not in', ['02', '06', '15'])]))
        .on('d.recalled', '=', false),
    )
    .select(['o.id', 'o.slug', 'o.name', 'o.organ_code', (e) => e.fn.count<string>('d.id').as('open')])
    .where('o.id', 'in', ids)
    .groupBy(['o.id', 'o.slug', 'o.name', 'o.organ_code'])
    .orderBy('o.name')
    .execute();
  return rows.map((r) => ({ ...r, open: Number(r.open) }));
}
