import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import type { AttachmentRow, Box, DeliveryKind, DeliveryRow, DocumentRow, DocumentsTables, EventRow, RecipientRow } from './tables.js';

const q = (db: Db) => db.withTables<DocumentsTables>();

type NewDocument = Omit<
  DocumentRow,
  'id' | 'seq' | 'created_at' | 'updated_at' | 'acknowledged_at' | 'recalled' | 'replaced_by' | 'pending_action' | 'action_package' | 'pending_header'
> &
  Partial<Pick<DocumentRow, 'replaces'>>;

export const documentRepo = {
  insert: async (db: Db, row: NewDocument): Promise<DocumentRow> =>
    (await q(db)
      .insertInto('doc_document')
      .values({
        ...row,
        signer: JSON.stringify(row.signer),
        header: JSON.stringify(row.header),
        signature: JSON.stringify(row.signature),
        pending_header: JSON.stringify(null),
        recalled: false,
        replaced_by: null,
        pending_action: null,
        acknowledged_at: null,
        replaces: row.replaces ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()) as DocumentRow,
  find: (db: Db, id: string): Promise<DocumentRow | undefined> =>
    q(db).selectFrom('doc_document').selectAll().where('id', '=', id).executeTakeFirst() as Promise<DocumentRow | undefined>,
  /** Locks the row for the caller's transaction (status changes of one document are serialised). */
  lock: (db: Db, id: string): Promise<DocumentRow | undefined> =>
    q(db).selectFrom('doc_document').selectAll().where('id', '=', id).forUpdate().executeTakeFirst() as Promise<DocumentRow | undefined>,
  /** An organization's copy of a document, by edXML DocumentId (and its sender, when given); locked in a transaction. */
  inBox: (db: Db, orgId: string, box: Box, documentId: string, fromOrgan?: string): Promise<DocumentRow | undefined> =>
    q(db)
      .selectFrom('doc_document')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('box', '=', box)
      .where('document_id', '=', documentId)
      .$if(fromOrgan !== undefined, (b) => b.where('from_organ', '=', fromOrgan!))
      .orderBy('seq', 'desc')
      .forUpdate()
      .executeTakeFirst() as Promise<DocumentRow | undefined>,
  update: (
    db: Db,
    id: string,
    {
      pending_header,
      ...rest
    }: Partial<Pick<DocumentRow, 'status' | 'pending_action' | 'action_package' | 'recalled' | 'replaced_by' | 'acknowledged_at'>> & {
      pending_header?: Record<string, unknown> | null;
    },
  ) =>
    q(db)
      .updateTable('doc_document')
      .set({ ...rest, ...(pending_header !== undefined ? { pending_header: JSON.stringify(pending_header) } : {}), updated_at: new Date() })
      .where('id', '=', id)
      .execute(),
  /** Applies an accepted update: the new MessageHeader's columns replace the old. */
  applyHeader: (db: Db, id: string, cols: Partial<DocumentRow>) =>
    q(db)
      .updateTable('doc_document')
      .set({
        ...(cols as object),
        ...(cols.signer ? { signer: JSON.stringify(cols.signer) } : {}),
        ...(cols.header ? { header: JSON.stringify(cols.header) } : {}),
        updated_at: new Date(),
      } as never)
      .where('id', '=', id)
      .execute(),
};

export const attachmentRepo = {
  insert: (db: Db, rows: AttachmentRow[]) => (rows.length ? q(db).insertInto('doc_attachment').values(rows).execute() : Promise.resolve([])),
  of: (db: Db, document: string): Promise<AttachmentRow[]> =>
    q(db).selectFrom('doc_attachment').selectAll().where('document', '=', document).orderBy('n').execute(),
  one: (db: Db, document: string, n: number): Promise<AttachmentRow | undefined> =>
    q(db).selectFrom('doc_attachment').selectAll().where('document', '=', document).where('n', '=', n).executeTakeFirst(),
};

export const recipientRepo = {
  insert: (db: Db, rows: Omit<RecipientRow, 'delivery' | 'status' | 'status_description' | 'status_at' | 'recalled'>[]) =>
    q(db)
      .insertInto('doc_recipient')
      .values(rows.map((r) => ({ ...r, status: null, status_description: null, status_at: null })))
      .execute(),
  of: (db: Db, document: string): Promise<RecipientRow[]> =>
    q(db).selectFrom('doc_recipient').selectAll().where('document', '=', document).orderBy('organ_id').execute(),
  set: (db: Db, document: string, organ: string, set: Partial<Omit<RecipientRow, 'document' | 'organ_id'>>) =>
    q(db).updateTable('doc_recipient').set(set).where('document', '=', document).where('organ_id', '=', organ).execute(),
};

export const deliveryRepo = {
  insert: (db: Db, rows: { org_id: string; document: string | null; kind: DeliveryKind; to_organ: string; package_key: string }[]) =>
    rows.length
      ? q(db)
          .insertInto('doc_delivery')
          .values(rows.map((r) => ({ ...r, last_error: null, delivered_at: null, receipt: JSON.stringify(null) })))
          .execute()
      : Promise.resolve([]),
  /**
   * Claims up to `limit` due deliveries: each is leased (its next attempt pushed out by `leaseMs`,
   * its attempt counted) in one statement, so instances never take the same row, and a process
   * killed mid-send leaves it to be retried when the lease runs out.
   */
  claim: async (db: Db, limit: number, leaseMs: number): Promise<DeliveryRow[]> =>
    (
      await sql<DeliveryRow>`
        update doc_delivery d set attempts = d.attempts + 1, next_at = now() + ${`${leaseMs} milliseconds`}::interval
         where d.id in (select id from doc_delivery where state = 'pending' and next_at <= now() order by next_at limit ${limit} for update skip locked)
        returning d.*`.execute(db)
    ).rows,
  /** A delivery's state, its row locked for the rest of the transaction (a recall may have cancelled it mid-send). */
  lockState: async (db: Db, id: string): Promise<DeliveryRow['state'] | undefined> =>
    (await q(db).selectFrom('doc_delivery').select('state').where('id', '=', id).forUpdate().executeTakeFirst())?.state,
  /** Keeps a claimed row taken while its send runs. */
  renewLease: (db: Db, id: string, leaseMs: number) =>
    sql`update doc_delivery set next_at = now() + ${`${leaseMs} milliseconds`}::interval where id = ${id} and state = 'pending'`.execute(db),
  settle: (db: Db, id: string, set: Partial<Pick<DeliveryRow, 'state' | 'next_at' | 'last_error' | 'delivered_at'>> & { receipt?: Record<string, unknown> }) =>
    q(db)
      .updateTable('doc_delivery')
      .set({ ...set, ...(set.receipt ? { receipt: JSON.stringify(set.receipt) } : {}) } as never)
      .where('id', '=', id)
      .execute(),
  find: (db: Db, id: string): Promise<DeliveryRow | undefined> =>
    q(db).selectFrom('doc_delivery').selectAll().where('id', '=', id).executeTakeFirst() as Promise<DeliveryRow | undefined>,
  ofDocument: (db: Db, document: string): Promise<DeliveryRow[]> =>
    q(db).selectFrom('doc_delivery').selectAll().where('document', '=', document).orderBy('created_at').execute() as Promise<DeliveryRow[]>,
  /** The soonest a pending delivery is due, for the worker's sleep. */
  nextDue: async (db: Db): Promise<Date | null> =>
    (
      await q(db)
        .selectFrom('doc_delivery')
        .select((e) => e.fn.min('next_at').as('at'))
        .where('state', '=', 'pending')
        .executeTakeFirst()
    )?.at ?? null,
};

export const eventRepo = {
  add: (db: Db, rows: Omit<EventRow, 'id' | 'at'>[]) => (rows.length ? q(db).insertInto('doc_event').values(rows).execute() : Promise.resolve([])),
  of: (db: Db, document: string): Promise<EventRow[]> => q(db).selectFrom('doc_event').selectAll().where('document', '=', document).orderBy('id').execute(),
};

export const receivedRepo = {
  /** The package that came with this message id before, if one did. */
  seen: (db: Db, messageId: string): Promise<{ document: string | null } | undefined> =>
    q(db).selectFrom('doc_received').select('document').where('message_id', '=', messageId).executeTakeFirst(),
  /** True when the message id is new (and now recorded), false when it came before. */
  firstTime: async (db: Db, messageId: string): Promise<{ first: boolean; document: string | null }> => {
    const r = await q(db)
      .insertInto('doc_received')
      .values({ message_id: messageId, document: null })
      .onConflict((oc) => oc.doNothing())
      .returning('message_id')
      .executeTakeFirst();
    if (r) return { first: true, document: null };
    const was = await q(db).selectFrom('doc_received').select('document').where('message_id', '=', messageId).executeTakeFirst();
    return { first: false, document: was?.document ?? null };
  },
  link: (db: Db, messageId: string, document: string) => q(db).updateTable('doc_received').set({ document }).where('message_id', '=', messageId).execute(),
  /** The standard's key: (sender, DocumentId, business type, recipient). The existing document when it is taken. */
  dedup: async (db: Db, key: { from_organ: string; document_id: string; business_type: string; to_organ: string }, document: string | null) => {
    const r = await q(db)
      .insertInto('doc_dedup')
      .values({ ...key, document })
      .onConflict((oc) => oc.doNothing())
      .returning('document')
      .executeTakeFirst();
    if (r) return { first: true, document: null as string | null };
    const was = await q(db)
      .selectFrom('doc_dedup')
      .select('document')
      .where('from_organ', '=', key.from_organ)
      .where('document_id', '=', key.document_id)
      .where('business_type', '=', key.business_type)
      .where('to_organ', '=', key.to_organ)
      .executeTakeFirst();
    return { first: false, document: was?.document ?? null };
  },
  setDedupDocument: (db: Db, key: { from_organ: string; document_id: string; business_type: string; to_organ: string }, document: string) =>
    q(db)
      .updateTable('doc_dedup')
      .set({ document })
      .where('from_organ', '=', key.from_organ)
      .where('document_id', '=', key.document_id)
      .where('business_type', '=', key.business_type)
      .where('to_organ', '=', key.to_organ)
      .execute(),
};

export const orgRepo = {
  byOrganCode: (db: Db, organ: string) =>
    q(db).selectFrom('organization').select(['id', 'name', 'slug', 'organ_code']).where('organ_code', '=', organ).executeTakeFirst(),
  byId: (db: Db, id: string) => q(db).selectFrom('organization').select(['id', 'name', 'slug', 'organ_code']).where('id', '=', id).executeTakeFirst(),
  bySlug: (db: Db, slug: string) => q(db).selectFrom('organization').select(['id', 'name', 'slug', 'organ_code']).where('slug', '=', slug).executeTakeFirst(),
  /** The addresses to alert about a document that could not be delivered: the organization's clerks. */
  clerkEmails: async (db: Db, orgId: string): Promise<string[]> =>
    (
      await q(db)
        .selectFrom('org_member as m')
        .innerJoin('app_user as u', 'u.id', 'm.user_id')
        .select('u.email')
        .where('m.org_id', '=', orgId)
        .where('m.role', 'in', ['editor', 'admin'])
        .execute()
    ).map((r) => r.email),
};
