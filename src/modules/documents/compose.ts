import type { Db } from '../../platform/db/index.js';
import { badRequest, FieldErrors } from '../../platform/http/index.js';
import { ORGAN_CODE_RE } from '../organizations/index.js';
import { BUSINESS, DOC_TYPES, PRIORITIES, SECRECY } from './codes.js';
import { edxmlDate } from './edxml/read.js';
import { documentIdOf, edxmlTimestamp, type BusinessType, type DocumentHeader, type Organ, type StaffInfo } from './edxml/write.js';
import { listRoutes, routeFor } from './routing.js';
import type { DocumentsTables } from './tables.js';

const q = (db: Db) => db.withTables<DocumentsTables>();

/** What a clerk fills in to send a document (the compose form, the hub API's JSON send). */
export interface ComposeInput {
  /** Recipients by organ code (mã định danh), with a name for agencies of other instances. */
  to: (string | { organ_id: string; name?: string })[];
  code_number: string;
  code_notation?: string;
  /** yyyy-mm-dd, yyyy/mm/dd or dd/mm/yyyy. */
  promulgation_date: string;
  place?: string;
  /** DocumentType as "Type.TypeDetail", e.g. "1.18" (Công văn): see DOC_TYPES. */
  doc_type: string;
  subject: string;
  content?: string;
  priority?: string;
  secrecy?: string;
  due_date?: string;
  signer_competence?: string;
  signer_position?: string;
  signer_full_name?: string;
  to_places?: string[];
  steering_type?: string;
  /** Upload keys of files attached (POST /api/v1/documents/uploads). */
  attachments?: string[];
  staff?: StaffInfo;
}

export interface SenderOrg {
  id: string;
  name: string;
  organ_code: string | null;
  email: string | null;
  website: string | null;
  parent_name: string | null;
}

export async function senderOrg(db: Db, orgId: string): Promise<SenderOrg | undefined> {
  return q(db)
    .selectFrom('organization as o')
    .leftJoin('organization as p', 'p.id', 'o.parent_id')
    .select(['o.id', 'o.name', 'o.organ_code', 'o.email', 'o.website', 'p.name as parent_name'])
    .where('o.id', '=', orgId)
    .executeTakeFirst() as Promise<SenderOrg | undefined>;
}

export const organOf = (o: SenderOrg): Organ => ({
  OrganId: o.organ_code!,
  OrganName: o.name,
  OrganizationInCharge: o.parent_name ?? o.name,
  Email: o.email ?? '',
  Website: o.website ?? '',
});

const LIMIT = { short: 100, subject: 2000, content: 20000 };
const iso = (edxml: string) => edxml.replaceAll('/', '-');

/**
 * Checks a compose form (every bad field at once, in the caller's language) and builds the edXML
 * MessageHeader and TraceHeaderList it becomes. One path for the form, the JSON API and a
 * replacement document.
 */
export async function composeHeader(
  db: Db,
  org: SenderOrg,
  input: ComposeInput,
  business: { type: BusinessType; replaces?: string; reason?: string },
  now = new Date(),
): Promise<{ header: DocumentHeader; recipients: Organ[] }> {
  const errors = new FieldErrors();
  const bad = (field: string, code: string, vi: string, en: string) => errors.add(badRequest(code, { vi, en }, field));
  if (!org.organ_code)
    bad(
      'org',
      'no_organ_code',
      'Cơ quan chưa có mã định danh (mã cơ quan) nên chưa gửi được văn bản điện tử.',
      'The organization has no organ code, so it cannot send electronic documents.',
    );
  const text = (v: unknown) => (typeof v === 'string' ? v.normalize('NFC').trim() : '');
  const recipients: Organ[] = [];
  const routes = await listRoutes(db);
  const list = Array.isArray(input.to) ? input.to : [];
  if (!list.length) bad('to', 'required', 'Chọn ít nhất một nơi nhận.', 'Choose at least one recipient.');
  const seen = new Set<string>();
  for (const [i, t] of list.entries()) {
    const organId = text(typeof t === 'string' ? t : t?.organ_id).toUpperCase();
    const field = `to[${i}]`;
    if (!ORGAN_CODE_RE.test(organId)) {
      bad(field, 'invalid_organ_code', `“${organId}” không phải mã định danh cơ quan (NNN.NN.NN.Xnn).`, `“${organId}” is not an organ code (NNN.NN.NN.Xnn).`);
      continue;
    }
    if (organId === org.organ_code) bad(field, 'self', 'Không gửi văn bản cho chính cơ quan mình.', 'A document is not sent to its own organization.');
    if (seen.has(organId)) bad(field, 'duplicate', 'Nơi nhận bị lặp.', 'Listed twice.');
    seen.add(organId);
    const local = await q(db).selectFrom('organization').select(['name', 'email', 'website']).where('organ_code', '=', organId).executeTakeFirst();
    if (!local && !routeFor(routes, organId))
      bad(
        field,
        'no_route',
        `Chưa có đường gửi tới ${organId} (không thuộc hệ thống này và chưa khai báo tuyến).`,
        `No route to ${organId} (not on this instance, and no route declared).`,
      );
    const name = local?.name ?? (typeof t === 'object' && t?.name ? text(t.name) : organId);
    recipients.push({ OrganId: organId, OrganName: name, Email: local?.email ?? '', Website: local?.website ?? '' });
  }
  const number = text(input.code_number);
  if (!/^[0-9A-Za-z]{1,20}$/.test(number)) bad('code_number', 'invalid', 'Số văn bản: 1–20 chữ số hoặc chữ cái.', 'Number: 1–20 digits or letters.');
  const notation = text(input.code_notation);
  if (notation.length > LIMIT.short || /[,\s]/.test(notation))
    bad('code_notation', 'invalid', 'Ký hiệu: không dấu phẩy, không khoảng trắng, tối đa 100 ký tự.', 'Notation: no comma or space, at most 100 characters.');
  const date = edxmlDate(text(input.promulgation_date).replaceAll('-', '/'));
  if (!date) bad('promulgation_date', 'invalid_date', 'Ngày ban hành: dd/mm/yyyy.', 'Date of issue: dd/mm/yyyy.');
  const [type, detail] = text(input.doc_type).split('.');
  const docType = DOC_TYPES.find((d) => d.type === type && d.detail === detail);
  if (!docType) bad('doc_type', 'invalid', 'Chọn loại văn bản trong danh mục.', 'Choose a document type from the list.');
  const subject = text(input.subject);
  if (!subject || subject.length > LIMIT.subject)
    bad('subject', 'required', 'Trích yếu: bắt buộc, tối đa 2.000 ký tự.', 'Subject: required, at most 2,000 characters.');
  const content = text(input.content);
  if (content.length > LIMIT.content) bad('content', 'too_long', 'Nội dung: tối đa 20.000 ký tự.', 'Content: at most 20,000 characters.');
  const priority = text(input.priority) || '0';
  if (!PRIORITIES[priority]) bad('priority', 'invalid', 'Độ khẩn: 0–4.', 'Urgency: 0–4.');
  const secrecy = text(input.secrecy) || '0';
  if (!SECRECY[secrecy]) bad('secrecy', 'invalid', 'Độ mật: 0–3.', 'Secrecy: 0–3.');
  else if (secrecy !== '0')
    bad(
      'secrecy',
      'classified',
      'Văn bản mật không được gửi qua mạng này (Luật Bảo vệ bí mật nhà nước 2018); hãy gửi theo đường mật.',
      'Classified documents are not sent over this network (Law on Protection of State Secrets 2018); send them by the secure channel.',
    );
  const due = text(input.due_date) ? edxmlDate(text(input.due_date).replaceAll('-', '/')) : '';
  if (due === null) bad('due_date', 'invalid_date', 'Hạn xử lý: dd/mm/yyyy.', 'Due date: dd/mm/yyyy.');
  else if (due && date && due < date) bad('due_date', 'before_issue', 'Hạn xử lý trước ngày ban hành.', 'The due date is before the date of issue.');
  const steering = text(input.steering_type) || '1';
  if (!['1', '2', '3'].includes(steering)) bad('steering_type', 'invalid', 'Chỉ đạo: 1, 2 hoặc 3.', 'Steering: 1, 2 or 3.');
  const places = (input.to_places ?? []).map(text).filter(Boolean);
  if (places.length > 100) bad('to_places', 'too_many', 'Tối đa 100 nơi nhận ghi trên văn bản.', 'At most 100 places listed.');
  errors.throwIfAny();
  const from = organOf(org);
  const code = { CodeNumber: number, CodeNotation: notation };
  const header: DocumentHeader = {
    From: from,
    To: recipients,
    Code: code,
    PromulgationInfo: { Place: text(input.place), PromulgationDate: date! },
    DocumentType: { Type: docType!.type, TypeDetail: docType!.detail, TypeName: docType!.name.replace(/ \((cá biệt)\)$/, '') },
    Subject: subject,
    Content: content,
    SignerInfo: { Competence: text(input.signer_competence), Position: text(input.signer_position), FullName: text(input.signer_full_name) },
    DueDate: due ?? '',
    OtherInfo: { Priority: priority },
    SteeringType: steering,
    ToPlaces: places,
    TraceHeaders: [{ OrganId: from.OrganId, Timestamp: edxmlTimestamp(now) }],
    Bussiness: { BussinessDocType: business.type, BussinessDocReason: business.reason || BUSINESS[business.type]!.vi, DocumentId: '', StaffInfo: input.staff },
  };
  header.Bussiness.DocumentId = business.replaces ?? documentIdOf(header);
  return { header, recipients };
}

export const isoDate = iso;
