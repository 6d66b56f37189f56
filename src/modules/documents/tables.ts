import type { ColumnType, Generated } from 'kysely';
import type { VerifyResult } from './edxml/signature.js';

export type Box = 'inbox' | 'outbox';
export type DeliveryKind = 'document' | 'recall' | 'update' | 'status';
/** `cancelled`: a document recalled before it was delivered is not sent. */
export type DeliveryState = 'pending' | 'delivered' | 'refused' | 'dead' | 'cancelled';

/** A document in one organization's box (see migrations.ts). */
export interface DocumentRow {
  id: string;
  org_id: string;
  box: Box;
  document_id: string;
  from_organ: string;
  from_name: string;
  code_number: string;
  code_notation: string;
  promulgation_date: string;
  place: string;
  doc_type: string;
  type_name: string;
  subject: string;
  content: string;
  priority: number;
  due_date: string | null;
  signer: { Competence?: string; Position?: string; FullName?: string };
  header: Record<string, unknown>;
  package_key: string;
  package_size: number;
  package_sha256: string;
  signature: VerifyResult | null;
  status: string | null;
  pending_action: '1' | '2' | null;
  /** The storage key of the latest recall or update package this sender made of it. */
  action_package: string | null;
  pending_header: Record<string, unknown> | null;
  recalled: boolean;
  replaced_by: string | null;
  replaces: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  acknowledged_at: Date | null;
  seq: number;
  search_text: string;
}

export interface AttachmentRow {
  document: string;
  n: number;
  content_id: string;
  name: string;
  description: string;
  content_type: string;
  size: number;
  sha256: string;
  file_key: string;
}

export interface RecipientRow {
  document: string;
  organ_id: string;
  organ_name: string;
  delivery: DeliveryState;
  status: string | null;
  status_description: string | null;
  status_at: Date | null;
  recalled: boolean;
}

export interface DeliveryRow {
  id: string;
  org_id: string;
  document: string | null;
  kind: DeliveryKind;
  to_organ: string;
  package_key: string;
  state: DeliveryState;
  attempts: number;
  next_at: Date;
  last_error: string | null;
  receipt: Record<string, unknown> | null;
  created_at: Date;
  delivered_at: Date | null;
}

export interface EventRow {
  id: number;
  document: string;
  organ_id: string | null;
  kind: string;
  code: string | null;
  description: string;
  actor: string | null;
  at: Date;
}

type Json<T> = ColumnType<T, string, string>;
type Auto<T> = ColumnType<T, T | undefined, T>;

/** The documents module's tables, for Kysely. */
export type DocumentsTables = {
  doc_document: Omit<DocumentRow, 'id' | 'seq' | 'created_at' | 'updated_at' | 'signer' | 'header' | 'signature' | 'pending_header'> & {
    id: Generated<string>;
    seq: Generated<number>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
    signer: Json<DocumentRow['signer']>;
    header: Json<DocumentRow['header']>;
    signature: Json<VerifyResult | null>;
    pending_header: Json<Record<string, unknown> | null>;
  };
  doc_attachment: AttachmentRow;
  doc_recipient: Omit<RecipientRow, 'delivery' | 'recalled'> & { delivery: Auto<DeliveryState>; recalled: Auto<boolean> };
  doc_delivery: Omit<DeliveryRow, 'id' | 'state' | 'attempts' | 'next_at' | 'created_at' | 'receipt'> & {
    id: Generated<string>;
    state: Auto<DeliveryState>;
    attempts: Auto<number>;
    next_at: Auto<Date>;
    created_at: Generated<Date>;
    receipt: Json<Record<string, unknown> | null>;
  };
  doc_event: Omit<EventRow, 'id' | 'at'> & { id: Generated<number>; at: Generated<Date> };
  doc_received: { message_id: string; document: string | null; at: Generated<Date> };
  doc_dedup: { from_organ: string; document_id: string; business_type: string; to_organ: string; document: string | null };
  doc_route: { pattern: string; service: string; position: number };
  doc_settings: { id: Generated<boolean>; client: string; sealed_token: string };
  doc_org_key: {
    org_id: string;
    cert_pem: string;
    sealed_key: string;
    subject: string;
    issuer: string;
    serial: string;
    valid_to: Date;
    created_at: Generated<Date>;
  };
  doc_upload: { file_key: string; user_id: string; name: string; content_type: string; size: number; created_at: Generated<Date> };
  doc_webhook: { id: Generated<string>; org_id: string; url: string; sealed_secret: string; created_at: Generated<Date> };
  organization: { id: string; slug: string; name: string; organ_code: string | null; email: string | null; website: string | null; parent_id: string | null };
  org_member: { org_id: string; user_id: string; role: string };
  app_user: { id: string; email: string; name: string };
};
