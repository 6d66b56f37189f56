import type { Readable, Writable } from 'node:stream';
import { EDXML_NS } from './tree.js';

/** An agency as edXML names it in From and To. */
export interface Organ {
  OrganId: string;
  OrganName: string;
  OrganizationInCharge?: string;
  OrganAdd?: string;
  Email?: string;
  Telephone?: string;
  Fax?: string;
  Website?: string;
}

export interface StaffInfo {
  Department?: string;
  Staff?: string;
  Mobile?: string;
  Email?: string;
}

/** The document a status or a business action is about. */
export interface ResponseFor {
  OrganId: string;
  Code: string;
  PromulgationDate: string;
  DocumentId: string;
}

/** 0 new, 1 recall, 2 update, 3 replace (TraceHeaderList/Bussiness/BussinessDocType). */
export type BusinessType = '0' | '1' | '2' | '3';

export interface DocumentHeader {
  From: Organ;
  To: Organ[];
  Code: { CodeNumber: string; CodeNotation: string };
  /** PromulgationDate as yyyy/MM/dd. */
  PromulgationInfo: { Place: string; PromulgationDate: string };
  DocumentType: { Type: string; TypeDetail?: string; TypeName: string };
  Subject: string;
  Content?: string;
  SignerInfo?: { Competence?: string; Position?: string; FullName?: string };
  /** yyyy/MM/dd, or empty. */
  DueDate?: string;
  OtherInfo: { Priority: string; SphereOfPromulgation?: string; TyperNotation?: string; PromulgationAmount?: string; PageAmount?: string };
  SteeringType?: string;
  ToPlaces?: string[];
  ResponseFor?: ResponseFor[];
  TraceHeaders: { OrganId: string; Timestamp: string }[];
  Bussiness: {
    BussinessDocType: BusinessType;
    BussinessDocReason: string;
    /** The document recalled, updated or replaced (for a new one: its own id). */
    DocumentId: string;
    Paper?: '0' | '1';
    StaffInfo?: StaffInfo;
  };
}

export interface OutgoingAttachment {
  ContentId: string;
  AttachmentName: string;
  Description?: string;
  ContentType: string;
  open(): Readable;
}

export interface StatusHeader {
  From: Organ;
  ResponseFor: ResponseFor;
  StaffInfo?: StaffInfo;
  StatusCode: string;
  Description: string;
  /** yyyy/MM/dd HH:mm:ss */
  Timestamp: string;
}

/** `{sender organ code},{yyyy/MM/dd},{number}/{notation}` — the edXML DocumentId. */
export const documentIdOf = (h: Pick<DocumentHeader, 'From' | 'Code' | 'PromulgationInfo'>): string =>
  `${h.From.OrganId},${h.PromulgationInfo.PromulgationDate},${h.Code.CodeNumber}${h.Code.CodeNotation ? `/${h.Code.CodeNotation}` : ''}`;

/** `number/notation`, as ResponseFor/Code carries it. */
export const codeText = (c: DocumentHeader['Code']): string => (c.CodeNotation ? `${c.CodeNumber}/${c.CodeNotation}` : c.CodeNumber);

// Characters XML 1.0 cannot carry at all (the C0 controls but tab, LF, CR; lone surrogates; U+FFFE/F).
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text escaped for element content; characters XML cannot carry are dropped, the rest kept NFC. */
export const esc = (v: string): string => v.normalize('NFC').replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The edXML element `name` with its children (a string is text; undefined leaves it out). */
type Tree = string | undefined | [string, Tree][] | Tree[];
function el(name: string, v: Tree, indent: string): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v === '' ? `${indent}<edXML:${name}/>\n` : `${indent}<edXML:${name}>${esc(v)}</edXML:${name}>\n`;
  const inner = (v as [string, Tree][]).map(([n, c]) => el(n, c, `${indent}  `)).join('');
  return `${indent}<edXML:${name}>\n${inner}${indent}</edXML:${name}>\n`;
}

const organ = (o: Organ): [string, Tree][] => [
  ['OrganId', o.OrganId],
  ['OrganizationInCharge', o.OrganizationInCharge ?? ''],
  ['OrganName', o.OrganName],
  ['OrganAdd', o.OrganAdd ?? ''],
  ['Email', o.Email ?? ''],
  ['Telephone', o.Telephone ?? ''],
  ['Fax', o.Fax ?? ''],
  ['Website', o.Website ?? ''],
];
const staff = (s: StaffInfo | undefined): [string, Tree][] | undefined =>
  s && [
    ['Department', s.Department ?? ''],
    ['Staff', s.Staff ?? ''],
    ['Mobile', s.Mobile ?? ''],
    ['Email', s.Email ?? ''],
  ];
const responseFor = (r: ResponseFor): [string, Tree][] => [
  ['OrganId', r.OrganId],
  ['Code', r.Code],
  ['PromulgationDate', r.PromulgationDate],
  ['DocumentId', r.DocumentId],
];

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="${EDXML_NS}">\n  <edXML:edXMLEnvelope xmlns:edXML="${EDXML_NS}">\n    <edXML:edXMLHeader>\n`;

function messageHeader(h: DocumentHeader): string {
  const items: [string, Tree][] = [
    ['From', organ(h.From)],
    ...h.To.map((t): [string, Tree] => ['To', organ(t)]),
    ...(h.ResponseFor ?? []).map((r): [string, Tree] => ['ResponseFor', responseFor(r)]),
    ['DocumentId', documentIdOf(h)],
    [
      'Code',
      [
        ['CodeNumber', h.Code.CodeNumber],
        ['CodeNotation', h.Code.CodeNotation],
      ],
    ],
    [
      'PromulgationInfo',
      [
        ['Place', h.PromulgationInfo.Place],
        ['PromulgationDate', h.PromulgationInfo.PromulgationDate],
      ],
    ],
    [
      'DocumentType',
      [
        ['Type', h.DocumentType.Type],
        ['TypeDetail', h.DocumentType.TypeDetail ?? '0'],
        ['TypeName', h.DocumentType.TypeName],
      ],
    ],
    ['Subject', h.Subject],
    ['Content', h.Content ?? ''],
    [
      'SignerInfo',
      [
        ['Competence', h.SignerInfo?.Competence ?? ''],
        ['Position', h.SignerInfo?.Position ?? ''],
        ['FullName', h.SignerInfo?.FullName ?? ''],
      ],
    ],
    ['DueDate', h.DueDate ?? ''],
    [
      'OtherInfo',
      [
        ['Priority', h.OtherInfo.Priority],
        ['SphereOfPromulgation', h.OtherInfo.SphereOfPromulgation ?? ''],
        ['TyperNotation', h.OtherInfo.TyperNotation ?? ''],
        ['PromulgationAmount', h.OtherInfo.PromulgationAmount ?? ''],
        ['PageAmount', h.OtherInfo.PageAmount ?? ''],
      ],
    ],
    ['SteeringType', h.SteeringType ?? '1'],
    ...(h.ToPlaces?.length ? [['ToPlaces', h.ToPlaces.map((p): [string, Tree] => ['Place', p])] as [string, Tree]] : []),
  ];
  return el('MessageHeader', items, '      ');
}

function traceHeaderList(h: DocumentHeader): string {
  const b = h.Bussiness;
  return el(
    'TraceHeaderList',
    [
      ...h.TraceHeaders.map((t): [string, Tree] => [
        'TraceHeader',
        [
          ['OrganId', t.OrganId],
          ['Timestamp', t.Timestamp],
        ],
      ]),
      [
        'Bussiness',
        [
          ['DocumentId', b.DocumentId],
          ['BussinessDocType', b.BussinessDocType],
          ['BussinessDocReason', b.BussinessDocReason],
          ['Paper', b.Paper ?? '0'],
          ['StaffInfo', staff(b.StaffInfo)],
        ],
      ],
    ],
    '      ',
  );
}

/** The 4-byte-aligned base64 of a stream, written as it is read (a 200 MB file costs a few KB). */
async function writeBase64(src: Readable, write: (s: string) => Promise<void>): Promise<void> {
  let carry = Buffer.alloc(0);
  for await (const chunk of src) {
    const b = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const whole = b.length - (b.length % 3);
    if (whole) await write(b.subarray(0, whole).toString('base64'));
    carry = Buffer.from(b.subarray(whole));
  }
  if (carry.length) await write(carry.toString('base64'));
}

/**
 * Writes a document package (QCVN 102:2016 as amended) in the shape of the packages in use: the
 * envelope with MessageHeader, TraceHeaderList and the manifest, then `AttachmentEncoded` outside
 * it with each attachment streamed in as base64. The caller signs it afterwards when it has a key.
 */
export async function writeDocumentPackage(h: DocumentHeader, attachments: OutgoingAttachment[], out: Writable): Promise<void> {
  const write = (s: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(s)) resolve();
      else {
        const onError = (e: Error) => reject(e);
        out.once('error', onError);
        out.once('drain', () => {
          out.off('error', onError);
          resolve();
        });
      }
    });
  let s = HEAD + messageHeader(h) + traceHeaderList(h) + '    </edXML:edXMLHeader>\n    <edXML:edXMLBody>\n      <edXML:edXMLManifest version="1.0">\n';
  for (const a of attachments)
    s += el(
      'Reference',
      [
        ['ContentId', a.ContentId],
        ['ContentType', a.ContentType],
        ['Description', a.Description ?? a.AttachmentName],
        ['AttachmentName', a.AttachmentName],
      ],
      '        ',
    );
  s += '      </edXML:edXMLManifest>\n    </edXML:edXMLBody>\n  </edXML:edXMLEnvelope>\n';
  await write(s);
  if (attachments.length) {
    await write('  <AttachmentEncoded>\n');
    for (const a of attachments) {
      await write(
        `    <Attachment>\n      <ContentId>${esc(a.ContentId)}</ContentId>\n      <AttachmentName>${esc(a.AttachmentName)}</AttachmentName>\n` +
          `      <Description>${esc(a.Description ?? a.AttachmentName)}</Description>\n      <ContentType>${esc(a.ContentType)}</ContentType>\n` +
          `      <edXML:ContentTransferEncoded xmlns:edXML="${EDXML_NS}">`,
      );
      await writeBase64(a.open(), write);
      await write('</edXML:ContentTransferEncoded>\n    </Attachment>\n');
    }
    await write('  </AttachmentEncoded>\n');
  }
  await write('</edXML>\n');
}

/** A status message (StatusCode 01–06, 13, 15, 16) about one document, as a string (it is small). */
export function statusPackage(h: StatusHeader): string {
  const mh = el(
    'MessageHeader',
    [
      ['From', organ(h.From)],
      ['ResponseFor', responseFor(h.ResponseFor)],
      ['StaffInfo', staff(h.StaffInfo) ?? []],
      ['StatusCode', h.StatusCode],
      ['Description', h.Description],
      ['Timestamp', h.Timestamp],
    ],
    '      ',
  );
  return `${HEAD}${mh}    </edXML:edXMLHeader>\n  </edXML:edXMLEnvelope>\n</edXML>\n`;
}

/** yyyy/MM/dd HH:mm:ss in Vietnam's time (UTC+7, no daylight saving), as TraceHeader and Timestamp carry it. */
export function edxmlTimestamp(d: Date): string {
  const v = new Date(d.getTime() + 7 * 3600_000).toISOString();
  return `${v.slice(0, 4)}/${v.slice(5, 7)}/${v.slice(8, 10)} ${v.slice(11, 19)}`;
}
