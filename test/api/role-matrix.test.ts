import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { createDataset, createResource } from '../../src/modules/catalog/index.js';
import { loadsOf, runLoad } from '../../src/modules/datastore/index.js';
import { countAudit, SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pm25Stream, stationThing } from '../helpers/stations.js';
import { testKeyPair } from '../documents/helpers.js';
import { MessageLog } from '../../src/modules/exchange/index.js';
import { secretBoxOf } from '../../src/platform/crypto/index.js';

/**
 * Every endpoint × every role. The last test checks that every route the OpenAPI document lists
 * is in this table, so a new endpoint without a permission row fails the suite.
 */
type Role = 'anonymous' | 'member' | 'editor' | 'orgAdmin' | 'otherOrgAdmin' | 'sysadmin';
const ROLES: Role[] = ['anonymous', 'member', 'editor', 'orgAdmin', 'otherOrgAdmin', 'sysadmin'];

interface Ctx {
  auth: Record<Role, Record<string, string>>;
  ids: Record<Exclude<Role, 'anonymous'>, string>;
  org: string;
  plainUser: string;
  memberTokenId: () => Promise<string>;
  jobId: string;
  sourceId: string;
  runId: string;
  freshSourceId: () => Promise<string>;
  /** A resource with a datastore table, in a private dataset of the organization. */
  tableId: string;
  /** The exchange registry: a service of the organization's member, one of its subsystems, a logged exchange. */
  xr: { serviceId: string; client: string; messageId: string; freshAccess: () => Promise<string>; freshCredential: () => Promise<string> };
  /** SensorThings: a station (Thing) of the organization with one Datastream; fresh Things to delete. */
  sta: { thing: number; stream: number; freshThing: () => Promise<number> };
  /** Electronic documents of the organization: one received (with an attachment); fresh ones for writes. */
  docs: {
    inbox: string;
    keyPair: { cert: string; key: string };
    freshInbox: () => Promise<string>;
    freshOutbox: () => Promise<string>;
    freshDead: () => Promise<string>;
    freshWebhook: () => Promise<string>;
  };
  /** The plan: so-tnmt's annual report of 2026 (reviewed by so-khcn, the receiver), a complete body, the built-in template. */
  plan: {
    setStatus: (status: 'draft' | 'submitted') => Promise<void>;
    complete: unknown;
    template: Buffer;
    /** An evidence file on so-tnmt's report, and a fresh one (made by `freshEvidence`) to remove. */
    evidence: string;
    fresh: string;
    freshEvidence: () => Promise<void>;
  };
  /** Awareness: a published event of the organization taking registrations, one confirmed registration, a fresh one to cancel. */
  aw: { slug: string; registration: string; fresh: { id: string; token: string }; freshRegistration: () => Promise<void> };
  /** S&T proposals: three experts; one proposal in review with its council; a fresh one for each step that moves it. */
  pr: { experts: string[]; review: string; fresh: string; freshSubmitted: () => Promise<void>; freshScored: () => Promise<void> };
  /** Warnings: a public rule of the organization over its station with an open alert; fresh alerts to acknowledge, fresh subscriptions of the organization to remove. */
  wr: { rule: string; alert: string; fresh: string; freshAlert: () => Promise<void>; freshSubscription: () => Promise<string> };
}

interface Row {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  route: string;
  url: (c: Ctx, role: Role) => string | Promise<string>;
  body?: (c: Ctx, role: Role) => unknown;
  /** The body's media type when it is not JSON. */
  contentType?: string;
  before?: (t: TestApp, c: Ctx) => Promise<void>;
  expect: Record<Role, number>;
}

const all = (s: number): Record<Role, number> => ({ anonymous: s, member: s, editor: s, orgAdmin: s, otherOrgAdmin: s, sysadmin: s });
const signedIn = (s: number): Record<Role, number> => ({ ...all(s), anonymous: 401 });
const sysOnly = (s: number): Record<Role, number> => ({ anonymous: 401, member: 403, editor: 403, orgAdmin: 403, otherOrgAdmin: 403, sysadmin: s });
const orgAdminOnly = (s: number): Record<Role, number> => ({ anonymous: 401, member: 403, editor: 403, orgAdmin: s, otherOrgAdmin: 403, sysadmin: s });

/** Documents: members read; clerks (editors, admins) of the organization act; sysadmins are not members. */
const DOC_READER = (s: number): Record<Role, number> => ({ anonymous: 401, member: s, editor: s, orgAdmin: s, otherOrgAdmin: 403, sysadmin: 403 });
const DOC_CLERK = (s: number): Record<Role, number> => ({ anonymous: 401, member: 403, editor: s, orgAdmin: s, otherOrgAdmin: 403, sysadmin: 403 });

/** The plan's reports: so-khcn (the organization) receives and reviews; so-tnmt (the other) reports. */
const DOST_READ = (s: number): Record<Role, number> => ({ anonymous: 401, member: s, editor: s, orgAdmin: s, otherOrgAdmin: 403, sysadmin: s });
const DOST_EDIT = (s: number): Record<Role, number> => ({ anonymous: 401, member: 403, editor: s, orgAdmin: s, otherOrgAdmin: 403, sysadmin: s });
const UNIT_EDIT = (s: number): Record<Role, number> => ({ anonymous: 401, member: 403, editor: 403, orgAdmin: 403, otherOrgAdmin: s, sysadmin: s });
const PLAN_YEAR = 2026;
const unitReport = (org: string) => `/api/v1/planning/reports/${PLAN_YEAR}/units/${org}`;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

let n = 0;
const uniq = () => `${Date.now().toString(36)}${(n++).toString(36)}`;

/** A sector database source (never reached here: no workers run). */
const DB_SOURCE = { engine: 'mysql', host: '127.0.0.1', database: 'y_te', user: 'doc_y_te', password: 'mat-khau', query: 'select id, ten from co_so' };

const docInput = (to: string[], code = uniq().slice(-8)) => ({
  to,
  code_number: code,
  code_notation: 'SKHCN',
  promulgation_date: '14/11/2026',
  doc_type: '1.18',
  subject: 'Về việc báo cáo kết quả thực hiện kế hoạch trí tuệ nhân tạo',
});

const MATRIX: Row[] = [
  { method: 'GET', route: '/healthz', url: () => '/healthz', expect: all(200) },
  { method: 'GET', route: '/api/v1/auth/me', url: () => '/api/v1/auth/me', expect: all(200) },
  {
    method: 'POST',
    route: '/api/v1/auth/login',
    url: () => '/api/v1/auth/login',
    body: () => ({ email: 'nobody@example.org', password: 'wrong password' }),
    expect: all(401),
  },
  { method: 'POST', route: '/api/v1/auth/logout', url: () => '/api/v1/auth/logout', expect: signedIn(204) },
  { method: 'GET', route: '/api/v1/users', url: () => '/api/v1/users', expect: sysOnly(200) },
  {
    method: 'POST',
    route: '/api/v1/users',
    url: () => '/api/v1/users',
    body: () => ({ email: `u${uniq()}@example.org`, name: 'Người dùng mới' }),
    expect: sysOnly(201),
  },
  { method: 'GET', route: '/api/v1/users/:id', url: (c) => `/api/v1/users/${c.ids.member}`, expect: { ...sysOnly(200), member: 200 } },
  {
    method: 'PATCH',
    route: '/api/v1/users/:id',
    url: (c) => `/api/v1/users/${c.ids.member}`,
    body: () => ({ name: 'Tên mới' }),
    expect: { ...sysOnly(200), member: 200 },
  },
  { method: 'GET', route: '/api/v1/tokens', url: () => '/api/v1/tokens', expect: signedIn(200) },
  { method: 'POST', route: '/api/v1/tokens', url: () => '/api/v1/tokens', body: () => ({ name: 'ci', expiresIn: '30d' }), expect: signedIn(201) },
  { method: 'DELETE', route: '/api/v1/tokens/:id', url: async (c) => `/api/v1/tokens/${await c.memberTokenId()}`, expect: { ...sysOnly(200), member: 200 } },
  { method: 'GET', route: '/api/v1/jobs/:id', url: (c) => `/api/v1/jobs/${c.jobId}`, expect: sysOnly(200) },
  { method: 'GET', route: '/api/v1/audit', url: () => '/api/v1/audit', expect: sysOnly(200) },
  { method: 'POST', route: '/api/v1/audit/verify', url: () => '/api/v1/audit/verify', expect: sysOnly(202) },
  { method: 'GET', route: '/api/v1/organizations', url: () => '/api/v1/organizations', expect: all(200) },
  { method: 'GET', route: '/api/v1/organizations/:id', url: (c) => `/api/v1/organizations/${c.org}`, expect: all(200) },
  {
    method: 'POST',
    route: '/api/v1/organizations',
    url: () => '/api/v1/organizations',
    body: () => ({ name: `Trung tâm ${uniq()}`, kind: 'agency' }),
    expect: sysOnly(201),
  },
  {
    method: 'PATCH',
    route: '/api/v1/organizations/:id',
    url: (c) => `/api/v1/organizations/${c.org}`,
    body: () => ({ description: 'Cập nhật' }),
    expect: sysOnly(200),
  },
  { method: 'GET', route: '/api/v1/organizations/:id/members', url: (c) => `/api/v1/organizations/${c.org}/members`, expect: orgAdminOnly(200) },
  {
    method: 'PUT',
    route: '/api/v1/organizations/:id/members/:userId',
    url: (c) => `/api/v1/organizations/${c.org}/members/${c.plainUser}`,
    body: () => ({ role: 'member' }),
    expect: orgAdminOnly(204),
  },
  {
    method: 'DELETE',
    route: '/api/v1/organizations/:id/members/:userId',
    url: (c) => `/api/v1/organizations/${c.org}/members/${c.plainUser}`,
    before: async (t, c) => {
      const r = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/organizations/${c.org}/members/${c.plainUser}`,
        headers: c.auth.sysadmin,
        payload: { role: 'member' },
      });
      expect(r.statusCode).toBe(204);
    },
    expect: orgAdminOnly(204),
  },
  { method: 'GET', route: '/api/v1/harvest/sources', url: () => '/api/v1/harvest/sources', expect: sysOnly(200) },
  {
    method: 'POST',
    route: '/api/v1/harvest/sources',
    url: () => '/api/v1/harvest/sources',
    body: () => ({ name: `src-${uniq()}`, title: 'Cổng dữ liệu quốc gia', type: 'ckan', url: 'http://127.0.0.1:9/ckan', ownerOrg: 'so-tttt' }),
    expect: sysOnly(201),
  },
  { method: 'GET', route: '/api/v1/harvest/sources/:id', url: (c) => `/api/v1/harvest/sources/${c.sourceId}`, expect: sysOnly(200) },
  {
    method: 'PATCH',
    route: '/api/v1/harvest/sources/:id',
    url: (c) => `/api/v1/harvest/sources/${c.sourceId}`,
    body: () => ({ title: 'Nguồn đã sửa' }),
    expect: sysOnly(200),
  },
  { method: 'DELETE', route: '/api/v1/harvest/sources/:id', url: async (c) => `/api/v1/harvest/sources/${await c.freshSourceId()}`, expect: sysOnly(204) },
  {
    method: 'POST',
    route: '/api/v1/harvest/sources/:id/runs',
    url: (c) => `/api/v1/harvest/sources/${c.sourceId}/runs`,
    body: () => ({ mode: 'full' }),
    expect: sysOnly(202),
  },
  { method: 'GET', route: '/api/v1/harvest/runs/:id', url: (c) => `/api/v1/harvest/runs/${c.runId}`, expect: sysOnly(200) },
  { method: 'GET', route: '/api/v1/admin-units', url: () => '/api/v1/admin-units?parent=58&at=2025-03-01', expect: all(200) },
  {
    method: 'GET',
    route: '/api/v1/admin-units/resolve',
    url: () => `/api/v1/admin-units/resolve?name=${encodeURIComponent('Huyện Ninh Hải')}&at=2025-03-01`,
    expect: all(200),
  },
  // A private dataset of the organization: its members read the table, its editors load it again.
  ...[
    '/api/v1/datastore/:rid',
    '/api/v1/datastore/:rid/loads',
    ...['csv', 'json', 'jsonl', 'geojson', 'xlsx'].map((f) => `/api/v1/datastore/:rid/export.${f}`),
  ].map((route): Row => ({
    method: 'GET',
    route,
    url: (c) => route.replace(':rid', c.tableId),
    expect: { anonymous: 403, member: 200, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  })),
  {
    method: 'GET',
    route: '/api/v1/datastore/:rid/forecast',
    url: (c) => `/api/v1/datastore/${c.tableId}/forecast?time=ngay&value=ma&horizon=3`,
    expect: { anonymous: 403, member: 200, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  {
    method: 'POST',
    route: '/api/v1/datastore/:rid/loads',
    url: (c) => `/api/v1/datastore/${c.tableId}/loads`,
    expect: { anonymous: 401, member: 403, editor: 202, orgAdmin: 202, otherOrgAdmin: 403, sysadmin: 202 },
  },
  {
    method: 'POST',
    route: '/api/v1/datastore/:rid/records',
    url: (c) => `/api/v1/datastore/${c.tableId}/records`,
    body: (_c, role) => ({ method: 'insert', records: [{ ma: 2, ten: `Gửi bởi ${role}` }] }),
    expect: { anonymous: 401, member: 403, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  {
    method: 'PUT',
    route: '/api/v1/datastore/:rid/scope',
    url: (c) => `/api/v1/datastore/${c.tableId}/scope`,
    body: () => ({ column: null }),
    expect: { anonymous: 401, member: 403, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  {
    method: 'GET',
    route: '/api/v1/datastore/:rid/pull',
    url: (c) => `/api/v1/datastore/${c.tableId}/pull`,
    expect: { anonymous: 403, member: 200, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  {
    // The table is an upload, not a link: editors get past the permission check to a 400.
    method: 'POST',
    route: '/api/v1/datastore/:rid/pull',
    url: (c) => `/api/v1/datastore/${c.tableId}/pull`,
    body: () => ({}),
    expect: { anonymous: 401, member: 403, editor: 400, orgAdmin: 400, otherOrgAdmin: 403, sysadmin: 400 },
  },
  { method: 'GET', route: '/api/v1/datastore/templates', url: () => '/api/v1/datastore/templates', expect: all(200) },
  {
    method: 'GET',
    route: '/api/v1/datastore/:rid/schema',
    url: (c) => `/api/v1/datastore/${c.tableId}/schema`,
    expect: { anonymous: 403, member: 200, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  {
    // The wizard's view of the file: for editors only.
    method: 'GET',
    route: '/api/v1/datastore/:rid/structure',
    url: (c) => `/api/v1/datastore/${c.tableId}/structure`,
    expect: { anonymous: 401, member: 403, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  {
    method: 'PUT',
    route: '/api/v1/datastore/:rid/schema',
    url: (c) => `/api/v1/datastore/${c.tableId}/schema`,
    body: () => ({ fields: [{ name: 'ma', type: 'integer', constraints: { required: true } }], missingValues: ['', '-'] }),
    expect: { anonymous: 401, member: 403, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  {
    // The job it queues does not run here (no workers): the matrix checks who may set a source.
    method: 'PUT',
    route: '/api/v1/datastore/:rid/db-pull',
    url: (c) => `/api/v1/datastore/${c.tableId}/db-pull`,
    body: () => DB_SOURCE,
    expect: { anonymous: 401, member: 403, editor: 202, orgAdmin: 202, otherOrgAdmin: 403, sysadmin: 202 },
  },
  {
    // It names a host and a query: editors only.
    method: 'GET',
    route: '/api/v1/datastore/:rid/db-pull',
    url: (c) => `/api/v1/datastore/${c.tableId}/db-pull`,
    expect: { anonymous: 401, member: 403, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  {
    method: 'POST',
    route: '/api/v1/datastore/:rid/db-pull/run',
    url: (c) => `/api/v1/datastore/${c.tableId}/db-pull/run`,
    expect: { anonymous: 401, member: 403, editor: 202, orgAdmin: 202, otherOrgAdmin: 403, sysadmin: 202 },
  },
  {
    method: 'DELETE',
    route: '/api/v1/datastore/:rid/db-pull',
    url: (c) => `/api/v1/datastore/${c.tableId}/db-pull`,
    before: async (t, c) => {
      const r = await t.app.inject({ method: 'PUT', url: `/api/v1/datastore/${c.tableId}/db-pull`, headers: c.auth.sysadmin, payload: DB_SOURCE });
      expect(r.statusCode).toBe(202);
    },
    expect: { anonymous: 401, member: 403, editor: 204, orgAdmin: 204, otherOrgAdmin: 403, sysadmin: 204 },
  },
  {
    method: 'DELETE',
    route: '/api/v1/datastore/:rid/schema',
    url: (c) => `/api/v1/datastore/${c.tableId}/schema`,
    expect: { anonymous: 401, member: 403, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  { method: 'GET', route: '/api/v1/admin-units/:code', url: () => '/api/v1/admin-units/58?at=2025-03-01', expect: all(200) },
  { method: 'GET', route: '/metrics', url: () => '/metrics', expect: sysOnly(200) },
  { method: 'GET', route: '/api/v1/exchange/directory', url: () => '/api/v1/exchange/directory', expect: signedIn(200) },
  { method: 'GET', route: '/api/v1/exchange/services/:id', url: (c) => `/api/v1/exchange/services/${c.xr.serviceId}`, expect: signedIn(200) },
  {
    method: 'POST',
    route: '/api/v1/exchange/services/:id/access',
    url: (c) => `/api/v1/exchange/services/${c.xr.serviceId}/access`,
    body: () => ({ client: `VN-NT/GOV/M${uniq()}`, endpoint: 'GET /stations/*' }),
    expect: orgAdminOnly(201),
  },
  {
    method: 'DELETE',
    route: '/api/v1/exchange/access/:id',
    url: async (c) => `/api/v1/exchange/access/${await c.xr.freshAccess()}`,
    expect: orgAdminOnly(204),
  },
  { method: 'GET', route: '/api/v1/exchange/credentials', url: () => '/api/v1/exchange/credentials', expect: signedIn(200) },
  {
    method: 'POST',
    route: '/api/v1/exchange/credentials',
    url: () => '/api/v1/exchange/credentials',
    body: (c) => ({ client: c.xr.client }),
    expect: orgAdminOnly(201),
  },
  {
    method: 'DELETE',
    route: '/api/v1/exchange/credentials/:id',
    url: async (c) => `/api/v1/exchange/credentials/${await c.xr.freshCredential()}`,
    expect: orgAdminOnly(204),
  },
  { method: 'GET', route: '/api/v1/exchange/registry', url: () => '/api/v1/exchange/registry', expect: sysOnly(200) },
  { method: 'PUT', route: '/api/v1/exchange/registry', url: () => '/api/v1/exchange/registry', body: () => ({ yaml: XR_REGISTRY }), expect: sysOnly(200) },
  { method: 'GET', route: '/api/v1/exchange/log', url: () => '/api/v1/exchange/log', expect: signedIn(200) },
  {
    method: 'GET',
    route: '/api/v1/exchange/log/:id/evidence',
    url: (c) => `/api/v1/exchange/log/${c.xr.messageId}/evidence`,
    // Those who belong to the organization of the member that made the call (and sysadmins).
    expect: { anonymous: 401, member: 200, editor: 200, orgAdmin: 200, otherOrgAdmin: 404, sysadmin: 200 },
  },
  { method: 'GET', route: '/api/v1/exchange/stats', url: () => '/api/v1/exchange/stats', expect: signedIn(200) },
  { method: 'POST', route: '/api/v1/exchange/log/verify', url: () => '/api/v1/exchange/log/verify', expect: sysOnly(202) },
  // Electronic documents: an organization's mail is read by its members and handled by its clerks; sysadmins are not members.
  {
    method: 'POST',
    route: '/api/v1/documents/uploads',
    url: () => '/api/v1/documents/uploads?name=phu-luc.pdf',
    body: () => '%PDF-1.4 phụ lục',
    expect: signedIn(201),
  },
  {
    method: 'POST',
    route: '/api/v1/documents/orgs/:org/outbox/package',
    url: () => '/api/v1/documents/orgs/so-khcn/outbox/package',
    body: () => '<edXML/>',
    expect: { ...DOC_CLERK(400) },
  },
  {
    method: 'POST',
    route: '/api/v1/documents/orgs/:org/outbox',
    url: () => '/api/v1/documents/orgs/so-khcn/outbox',
    body: () => docInput(['000.00.15.H58']),
    expect: DOC_CLERK(201),
  },
  { method: 'GET', route: '/api/v1/documents/orgs/:org/inbox', url: () => '/api/v1/documents/orgs/so-khcn/inbox', expect: DOC_READER(200) },
  { method: 'GET', route: '/api/v1/documents/orgs/:org/outbox', url: () => '/api/v1/documents/orgs/so-khcn/outbox', expect: DOC_READER(200) },
  { method: 'GET', route: '/api/v1/documents/:id', url: (c) => `/api/v1/documents/${c.docs.inbox}`, expect: DOC_READER(200) },
  { method: 'GET', route: '/api/v1/documents/:id/package', url: (c) => `/api/v1/documents/${c.docs.inbox}/package`, expect: DOC_READER(200) },
  { method: 'GET', route: '/api/v1/documents/:id/attachments/:n', url: (c) => `/api/v1/documents/${c.docs.inbox}/attachments/1`, expect: DOC_READER(200) },
  { method: 'POST', route: '/api/v1/documents/:id/ack', url: async (c) => `/api/v1/documents/${await c.docs.freshInbox()}/ack`, expect: DOC_CLERK(200) },
  {
    method: 'POST',
    route: '/api/v1/documents/:id/status',
    url: async (c) => `/api/v1/documents/${await c.docs.freshInbox()}/status`,
    body: () => ({ code: '03' }),
    expect: DOC_CLERK(200),
  },
  {
    method: 'POST',
    route: '/api/v1/documents/:id/recall',
    url: async (c) => `/api/v1/documents/${await c.docs.freshOutbox()}/recall`,
    body: () => ({ reason: 'Sai sót' }),
    expect: DOC_CLERK(200),
  },
  {
    method: 'POST',
    route: '/api/v1/documents/:id/update',
    url: async (c) => `/api/v1/documents/${await c.docs.freshOutbox()}/update`,
    body: () => ({ reason: 'Sửa trích yếu', subject: 'Trích yếu đã sửa' }),
    expect: DOC_CLERK(200),
  },
  {
    method: 'POST',
    route: '/api/v1/documents/deliveries/:id/retry',
    url: async (c) => `/api/v1/documents/deliveries/${await c.docs.freshDead()}/retry`,
    expect: DOC_CLERK(200),
  },
  {
    method: 'PUT',
    route: '/api/v1/documents/orgs/:org/key',
    url: () => '/api/v1/documents/orgs/so-khcn/key',
    body: (c) => c.docs.keyPair,
    expect: orgAdminOnly(200),
  },
  { method: 'GET', route: '/api/v1/documents/orgs/:org/key', url: () => '/api/v1/documents/orgs/so-khcn/key', expect: DOC_READER(200) },
  { method: 'GET', route: '/api/v1/documents/orgs/:org/webhooks', url: () => '/api/v1/documents/orgs/so-khcn/webhooks', expect: orgAdminOnly(200) },
  {
    method: 'POST',
    route: '/api/v1/documents/orgs/:org/webhooks',
    url: () => '/api/v1/documents/orgs/so-khcn/webhooks',
    body: () => ({ url: 'https://qlvb.khcn.ninhthuan.gov.vn/tinhso' }),
    expect: orgAdminOnly(201),
  },
  {
    method: 'DELETE',
    route: '/api/v1/documents/orgs/:org/webhooks/:id',
    url: async (c) => `/api/v1/documents/orgs/so-khcn/webhooks/${await c.docs.freshWebhook()}`,
    expect: orgAdminOnly(204),
  },
  { method: 'GET', route: '/api/v1/documents/routes', url: () => '/api/v1/documents/routes', expect: signedIn(200) },
  {
    method: 'PUT',
    route: '/api/v1/documents/routes',
    url: () => '/api/v1/documents/routes',
    body: () => ({ routes: [{ pattern: '*.*.*.H37', service: 'VN-KH/GOV/000.00.00.H37/lgsp/edxml' }] }),
    expect: sysOnly(200),
  },
  {
    method: 'PUT',
    route: '/api/v1/documents/settings',
    url: () => '/api/v1/documents/settings',
    body: () => ({ client: 'VN-NT/GOV/000.00.20.H58/cong-du-lieu' }),
    expect: sysOnly(200),
  },
  // SensorThings: reads are public; shared descriptions are written by any organization's editor; a station's data by its organization's.
  { method: 'GET', route: '/v1.1', url: () => '/v1.1', expect: all(200) },
  { method: 'GET', route: '/v1.1/{*}', url: (c) => `/v1.1/Things(${c.sta.thing})/Datastreams?$expand=Observations`, expect: all(200) },
  {
    method: 'POST',
    route: '/v1.1/{*}',
    url: () => '/v1.1/Sensors',
    body: () => ({ name: `Cảm biến ${uniq()}`, description: 'PM2.5', encodingType: 'text/html', metadata: 'https://example.org' }),
    expect: { anonymous: 401, member: 403, editor: 201, orgAdmin: 201, otherOrgAdmin: 201, sysadmin: 201 },
  },
  {
    method: 'PATCH',
    route: '/v1.1/{*}',
    url: (c) => `/v1.1/Things(${c.sta.thing})`,
    body: () => ({ description: `Trạm ${uniq()}` }),
    expect: { anonymous: 401, member: 403, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  {
    method: 'DELETE',
    route: '/v1.1/{*}',
    url: async (c) => `/v1.1/Things(${await c.sta.freshThing()})`,
    expect: { anonymous: 401, member: 403, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  {
    method: 'POST',
    route: '/v1.1/CreateObservations',
    url: () => '/v1.1/CreateObservations',
    body: (c) => [{ Datastream: { '@iot.id': c.sta.stream }, components: ['phenomenonTime', 'result'], dataArray: [['2026-11-14T01:00:00Z', 12.5]] }],
    expect: { anonymous: 401, member: 403, editor: 201, orgAdmin: 201, otherOrgAdmin: 403, sysadmin: 201 },
  },
  { method: 'GET', route: '/api/v1/air/locations', url: () => '/api/v1/air/locations', expect: all(200) },
  { method: 'GET', route: '/api/v1/air/locations/:id', url: (c) => `/api/v1/air/locations/${c.sta.thing}`, expect: all(200) },
  { method: 'GET', route: '/api/v1/air/locations/:id/latest', url: (c) => `/api/v1/air/locations/${c.sta.thing}/latest`, expect: all(200) },
  { method: 'GET', route: '/api/v1/air/parameters', url: () => '/api/v1/air/parameters', expect: all(200) },
  { method: 'GET', route: '/api/v1/air/sensors/:id/measurements', url: (c) => `/api/v1/air/sensors/${c.sta.stream}/measurements`, expect: all(200) },
  { method: 'GET', route: '/api/v1/air/sensors/:id/hours', url: (c) => `/api/v1/air/sensors/${c.sta.stream}/hours?format=csv`, expect: all(200) },
  { method: 'GET', route: '/api/v1/air/sensors/:id/days', url: (c) => `/api/v1/air/sensors/${c.sta.stream}/days`, expect: all(200) },
  {
    method: 'POST',
    route: '/api/v1/sensors/datastreams/:id/import',
    url: (c) => `/api/v1/sensors/datastreams/${c.sta.stream}/import?layout=airnow`,
    contentType: 'text/csv',
    body: () =>
      'Site,Parameter,Date (LT),Year,Month,Day,Hour,NowCast Conc.,AQI,AQI Category,Raw Conc.,Conc. Unit,Duration,QC Name\nHanoi,PM2.5 - Principal,2016-01-01 01:00 AM,2016,01,01,01,81.0,164,Unhealthy,94.7,UG/M3,1 Hr,Valid\n',
    expect: { anonymous: 401, member: 403, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  // The monitoring network's metadata and laboratory results: public reads; written by the station's unit.
  { method: 'GET', route: '/api/v1/sensors/stations/:id', url: (c) => `/api/v1/sensors/stations/${c.sta.thing}`, expect: all(200) },
  { method: 'GET', route: '/api/v1/sensors/stations/:id/water-samples', url: (c) => `/api/v1/sensors/stations/${c.sta.thing}/water-samples`, expect: all(200) },
  {
    method: 'POST',
    route: '/api/v1/sensors/stations',
    url: () => '/api/v1/sensors/stations',
    body: () => ({ org: 'so-khcn', name: `Trạm ${uniq()}`, code: `RM-${uniq()}`, kind: 'air', mode: 'automatic', longitude: 108.99, latitude: 11.56 }),
    expect: { anonymous: 401, member: 403, editor: 201, orgAdmin: 201, otherOrgAdmin: 403, sysadmin: 201 },
  },
  {
    method: 'PUT',
    route: '/api/v1/sensors/stations/:id',
    url: (c) => `/api/v1/sensors/stations/${c.sta.thing}`,
    body: () => ({ name: `Trạm ${uniq()}`, code: 'RM-THING', kind: 'air', mode: 'automatic', longitude: 108.99, latitude: 11.56 }),
    expect: { anonymous: 401, member: 403, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  {
    method: 'POST',
    route: '/api/v1/sensors/water/results',
    url: () => '/api/v1/sensors/water/results?org=so-khcn&create_stations=true',
    contentType: 'text/csv',
    body: () => fs.readFileSync('test/fixtures/sensors/lab-results.csv', 'utf8'),
    expect: { anonymous: 401, member: 403, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  { method: 'GET', route: '/api/v1/sensors/stations.geojson', url: () => '/api/v1/sensors/stations.geojson', expect: all(200) },
  { method: 'GET', route: '/api/v1/sensors/boundaries.geojson', url: () => '/api/v1/sensors/boundaries.geojson', expect: all(200) },
  { method: 'GET', route: '/api/v1/sensors/live', url: () => '/api/v1/sensors/live?seconds=0', expect: all(200) },
  {
    method: 'GET',
    route: '/api/v1/sensors/datastreams/:id/observations.csv',
    url: (c) => `/api/v1/sensors/datastreams/${c.sta.stream}/observations.csv`,
    expect: all(200),
  },
  { method: 'GET', route: '/api/v1/planning/plan', url: () => '/api/v1/planning/plan', expect: all(200) },
  {
    method: 'POST',
    route: '/api/v1/planning/plan/transfers',
    url: () => '/api/v1/planning/plan/transfers',
    body: () => ({ from: 'ubnd-huyen-ninh-hai', to: ['ubnd-tinh-ninh-thuan'], on: '2025-07-01' }),
    expect: DOST_EDIT(200),
  },
  {
    method: 'POST',
    route: '/api/v1/planning/plan/versions',
    url: () => '/api/v1/planning/plan/versions',
    // In force from the 2028 round's period on, so the rows about 2026 are untouched.
    body: () => ({ note: `Sửa đổi ${uniq()}`, effectiveFrom: '15/12/2027', tasks: [{ ref: 'IV.8.1', text: `Nội dung sửa đổi ${uniq()}.` }] }),
    expect: DOST_EDIT(201),
  },
  { method: 'GET', route: '/api/v1/planning/reports/:year', url: () => `/api/v1/planning/reports/${PLAN_YEAR}`, expect: DOST_READ(200) },
  { method: 'GET', route: '/api/v1/planning/on-time', url: () => '/api/v1/planning/on-time', expect: DOST_READ(200) },
  // The Department's own report: its staff read it; another department's admin does not.
  { method: 'GET', route: '/api/v1/planning/reports/:year/units/:org', url: () => unitReport('so-khcn'), expect: DOST_READ(200) },
  {
    method: 'PUT',
    route: '/api/v1/planning/reports/:year/units/:org',
    url: () => unitReport('so-tnmt'),
    before: (_t, c) => c.plan.setStatus('draft'),
    body: () => ({ sections: { 'IV.8.1': { status: 'in_progress' } } }),
    expect: UNIT_EDIT(200),
  },
  {
    method: 'POST',
    route: '/api/v1/planning/reports/:year/units/:org/submit',
    url: () => `${unitReport('so-tnmt')}/submit`,
    before: (_t, c) => c.plan.setStatus('draft'),
    body: (c) => c.plan.complete,
    expect: UNIT_EDIT(200),
  },
  {
    method: 'POST',
    route: '/api/v1/planning/reports/:year/units/:org/evidence',
    url: () => `${unitReport('so-tnmt')}/evidence?task=IV.8.1&name=bien-ban.pdf`,
    before: (_t, c) => c.plan.setStatus('draft'),
    contentType: 'application/pdf',
    body: () => Buffer.from('%PDF-1.4 biên bản nghiệm thu'),
    expect: UNIT_EDIT(201),
  },
  // Whoever reads the report reads its files: so-tnmt's staff and the reviewing Department's.
  {
    method: 'GET',
    route: '/api/v1/planning/reports/:year/units/:org/evidence/:id',
    url: (c) => `${unitReport('so-tnmt')}/evidence/${c.plan.evidence}`,
    expect: signedIn(200),
  },
  {
    method: 'DELETE',
    route: '/api/v1/planning/reports/:year/units/:org/evidence/:id',
    before: async (_t, c) => {
      await c.plan.setStatus('draft');
      await c.plan.freshEvidence();
    },
    url: (c) => `${unitReport('so-tnmt')}/evidence/${c.plan.fresh}`,
    expect: UNIT_EDIT(204),
  },
  {
    method: 'POST',
    route: '/api/v1/planning/reports/:year/units/:org/return',
    url: () => `${unitReport('so-tnmt')}/return`,
    before: (_t, c) => c.plan.setStatus('submitted'),
    body: () => ({ reason: 'Bổ sung số liệu.' }),
    expect: DOST_EDIT(200),
  },
  {
    method: 'POST',
    route: '/api/v1/planning/reports/:year/units/:org/accept',
    url: () => `${unitReport('so-tnmt')}/accept`,
    before: (_t, c) => c.plan.setStatus('submitted'),
    expect: DOST_EDIT(200),
  },
  ...['docx', 'pdf', 'json'].map((f): Row => ({
    method: 'GET',
    route: `/api/v1/planning/reports/:year/consolidated.${f}`,
    url: () => `/api/v1/planning/reports/${PLAN_YEAR}/consolidated.${f}`,
    expect: DOST_READ(200),
  })),
  {
    method: 'PATCH',
    route: '/api/v1/planning/reports/:year/consolidated',
    url: () => `/api/v1/planning/reports/${PLAN_YEAR}/consolidated`,
    body: () => ({ summary: 'Các đơn vị đã triển khai các nhiệm vụ của Kế hoạch.' }),
    expect: DOST_EDIT(204),
  },
  // A finalised report with a number of its own each time, sent to so-tnmt in-process. Sending an
  // official document is a clerk's act (the documents module's rule): a sysadmin is not one.
  {
    method: 'POST',
    route: '/api/v1/planning/reports/:year/consolidated/send',
    before: async (t, c) => {
      const patch = async (payload: object) =>
        expect(
          (await t.app.inject({ method: 'PATCH', url: `/api/v1/planning/reports/${PLAN_YEAR}/consolidated`, headers: c.auth.sysadmin, payload })).statusCode,
        ).toBe(204);
      await patch({ final: false });
      await patch({ numberSymbol: `${100 + n++}/BC-SKHCN`, docDate: '20/11/2026', signerName: 'Nguyễn Văn Thành' });
      await patch({ final: true });
    },
    url: () => `/api/v1/planning/reports/${PLAN_YEAR}/consolidated/send`,
    body: () => ({ to: ['000.00.15.H58'] }),
    expect: { ...DOST_EDIT(201), sysadmin: 403 },
  },
  {
    method: 'GET',
    route: '/api/v1/planning/reports/:year/template.docx',
    url: () => `/api/v1/planning/reports/${PLAN_YEAR}/template.docx`,
    expect: DOST_READ(200),
  },
  {
    method: 'PUT',
    route: '/api/v1/planning/reports/:year/template.docx',
    url: () => `/api/v1/planning/reports/${PLAN_YEAR}/template.docx`,
    contentType: DOCX,
    body: (c) => c.plan.template,
    expect: DOST_EDIT(204),
  },
  {
    method: 'DELETE',
    route: '/api/v1/planning/reports/:year/template.docx',
    url: () => `/api/v1/planning/reports/${PLAN_YEAR}/template.docx`,
    expect: DOST_EDIT(204),
  },
  { method: 'GET', route: '/api/v1/warnings/rules', url: () => '/api/v1/warnings/rules', expect: signedIn(200) },
  {
    method: 'POST',
    route: '/api/v1/warnings/rules',
    url: () => '/api/v1/warnings/rules',
    body: (c) => ({ org: 'so-khcn', name: `AQI xấu ${uniq()}`, kind: 'threshold', station: c.sta.thing, parameter: 'aqi', threshold: 150, severity: 'severe' }),
    expect: DOST_EDIT(201),
  },
  {
    method: 'GET',
    route: '/api/v1/warnings/rules/:id',
    url: (c) => `/api/v1/warnings/rules/${c.wr.rule}`,
    expect: { anonymous: 401, member: 200, editor: 200, orgAdmin: 200, otherOrgAdmin: 404, sysadmin: 200 },
  },
  {
    method: 'PATCH',
    route: '/api/v1/warnings/rules/:id',
    url: (c) => `/api/v1/warnings/rules/${c.wr.rule}`,
    body: () => ({ escalateAfterMinutes: 45 }),
    expect: { anonymous: 401, member: 403, editor: 200, orgAdmin: 200, otherOrgAdmin: 404, sysadmin: 200 },
  },
  { method: 'GET', route: '/api/v1/warnings/alerts', url: () => '/api/v1/warnings/alerts?open=true', expect: all(200) },
  { method: 'GET', route: '/api/v1/warnings/alerts/:id', url: (c) => `/api/v1/warnings/alerts/${c.wr.alert}`, expect: all(200) },
  {
    method: 'POST',
    route: '/api/v1/warnings/alerts/:id/acknowledge',
    before: (_t, c) => c.wr.freshAlert(),
    url: (c) => `/api/v1/warnings/alerts/${c.wr.fresh}/acknowledge`,
    body: () => ({ note: 'Đã tiếp nhận' }),
    expect: { anonymous: 401, member: 403, editor: 200, orgAdmin: 200, otherOrgAdmin: 403, sysadmin: 200 },
  },
  { method: 'GET', route: '/api/v1/warnings/subscriptions', url: () => '/api/v1/warnings/subscriptions', expect: signedIn(200) },
  {
    method: 'POST',
    route: '/api/v1/warnings/subscriptions',
    url: () => '/api/v1/warnings/subscriptions',
    body: () => ({ channel: 'email', address: `nhan-${uniq()}@example.vn` }),
    expect: signedIn(201),
  },
  {
    method: 'DELETE',
    route: '/api/v1/warnings/subscriptions/:id',
    url: (c) => c.wr.freshSubscription().then((id) => `/api/v1/warnings/subscriptions/${id}`),
    expect: { anonymous: 401, member: 404, editor: 404, orgAdmin: 204, otherOrgAdmin: 404, sysadmin: 204 },
  },
  { method: 'GET', route: '/warnings/feed.atom', url: () => '/warnings/feed.atom', expect: all(200) },
  { method: 'GET', route: '/warnings/feed.rss', url: () => '/warnings/feed.rss', expect: all(200) },
  { method: 'GET', route: '/warnings/:id/cap.xml', url: (c) => `/warnings/${c.wr.alert}/cap.xml`, expect: all(200) },
  { method: 'GET', route: '/api/v1/awareness/posts', url: () => '/api/v1/awareness/posts?kind=event', expect: all(200) },
  {
    method: 'POST',
    route: '/api/v1/awareness/posts',
    url: () => '/api/v1/awareness/posts',
    body: () => ({ kind: 'news', org: 'so-khcn', title: `Tin trí tuệ nhân tạo ${uniq()}` }),
    expect: DOST_EDIT(201),
  },
  { method: 'GET', route: '/api/v1/awareness/posts/:slug', url: (c) => `/api/v1/awareness/posts/${c.aw.slug}`, expect: all(200) },
  {
    method: 'PATCH',
    route: '/api/v1/awareness/posts/:slug',
    url: (c) => `/api/v1/awareness/posts/${c.aw.slug}`,
    body: () => ({ summary: 'Cập nhật chương trình hội thảo.' }),
    expect: DOST_EDIT(200),
  },
  {
    method: 'POST',
    route: '/api/v1/awareness/posts/:slug/registrations',
    url: (c) => `/api/v1/awareness/posts/${c.aw.slug}/registrations`,
    body: () => ({ name: 'Người tham dự', email: `nguoi-${uniq()}@example.vn` }),
    expect: all(201),
  },
  {
    method: 'GET',
    route: '/api/v1/awareness/posts/:slug/registrations',
    url: (c) => `/api/v1/awareness/posts/${c.aw.slug}/registrations`,
    expect: DOST_EDIT(200),
  },
  {
    method: 'PATCH',
    route: '/api/v1/awareness/posts/:slug/registrations/:id',
    url: (c) => `/api/v1/awareness/posts/${c.aw.slug}/registrations/${c.aw.registration}`,
    body: () => ({ attended: true }),
    expect: DOST_EDIT(200),
  },
  // Whoever holds the mailed token cancels, signed in or not.
  {
    method: 'POST',
    route: '/api/v1/awareness/registrations/:id/cancel',
    before: (_t, c) => c.aw.freshRegistration(),
    url: (c) => `/api/v1/awareness/registrations/${c.aw.fresh.id}/cancel`,
    body: (c) => ({ token: c.aw.fresh.token }),
    expect: all(200),
  },
  {
    method: 'POST',
    route: '/api/v1/planning/proposals',
    url: () => '/api/v1/planning/proposals',
    body: () => ({
      title: `Ứng dụng trí tuệ nhân tạo ${uniq()}`,
      objectives: 'Mục tiêu',
      products: 'Sản phẩm',
      budget: 500,
      durationMonths: 12,
      proposerKind: 'individual',
      proposerName: 'Người đề xuất',
      proposerEmail: 'de-xuat@example.vn',
    }),
    expect: all(201),
  },
  { method: 'GET', route: '/api/v1/planning/proposals', url: () => '/api/v1/planning/proposals', expect: DOST_READ(200) },
  // Without its tracking token a proposal is the Department's alone; for anyone else it does not exist.
  {
    method: 'GET',
    route: '/api/v1/planning/proposals/:id',
    url: (c) => `/api/v1/planning/proposals/${c.pr.review}`,
    expect: { ...DOST_READ(200), anonymous: 404, otherOrgAdmin: 404 },
  },
  {
    method: 'POST',
    route: '/api/v1/planning/proposals/:id/screening',
    before: (_t, c) => c.pr.freshSubmitted(),
    url: (c) => `/api/v1/planning/proposals/${c.pr.fresh}/screening`,
    body: () => ({ accept: true }),
    expect: DOST_EDIT(200),
  },
  {
    method: 'PUT',
    route: '/api/v1/planning/proposals/:id/council',
    url: (c) => `/api/v1/planning/proposals/${c.pr.review}/council`,
    body: (c) => ({ members: c.pr.experts.map((e, i) => ({ expert: e, role: i === 0 ? 'chair' : 'member' })) }),
    expect: DOST_EDIT(200),
  },
  {
    method: 'PUT',
    route: '/api/v1/planning/proposals/:id/scores/:expert',
    url: (c) => `/api/v1/planning/proposals/${c.pr.review}/scores/${c.pr.experts[0]}`,
    body: () => ({ scores: { necessity: 15, science: 20, feasibility: 20, impact: 15, budget: 8 } }),
    expect: DOST_EDIT(200),
  },
  {
    method: 'POST',
    route: '/api/v1/planning/proposals/:id/decision',
    before: (_t, c) => c.pr.freshScored(),
    url: (c) => `/api/v1/planning/proposals/${c.pr.fresh}/decision`,
    body: () => ({ approved: false, note: 'Chưa ưu tiên năm nay.' }),
    expect: DOST_EDIT(200),
  },
  { method: 'GET', route: '/api/v1/planning/experts', url: () => '/api/v1/planning/experts', expect: all(200) },
  {
    method: 'POST',
    route: '/api/v1/planning/experts',
    url: () => '/api/v1/planning/experts',
    body: () => ({ name: `Chuyên gia ${uniq()}`, field: 'Trí tuệ nhân tạo' }),
    expect: DOST_EDIT(201),
  },
  {
    method: 'PATCH',
    route: '/api/v1/planning/experts/:id',
    url: (c) => `/api/v1/planning/experts/${c.pr.experts[2]}`,
    body: () => ({ affiliation: 'Trường Đại học Nha Trang' }),
    expect: DOST_EDIT(200),
  },
];

/** The exchange registry of the matrix: the Department of Science and Technology's member, linked to its organization. */
const XR_REGISTRY = `instance: VN-NT
members:
  - class: GOV
    code: 000.00.20.H58
    name: Sở Khoa học và Công nghệ
    organization: so-khcn
    subsystems:
      - code: cong-du-lieu
        services:
          - code: du-lieu-mo
            url: http://10.0.0.5:8080/
`;

let t: TestApp;
let c: Ctx;

beforeAll(async () => {
  t = await createTestApp();
  const sys = await t.userWithToken({ email: 'sys@example.org', sysadmin: true });
  const member = await t.userWithToken({ email: 'member@example.org' });
  const editor = await t.userWithToken({ email: 'editor@example.org' });
  const orgAdmin = await t.userWithToken({ email: 'orgadmin@example.org' });
  const otherOrgAdmin = await t.userWithToken({ email: 'otheradmin@example.org' });
  const plain = await t.userWithToken({ email: 'plain@example.org' });
  const org = (await t.app.inject({ method: 'GET', url: '/api/v1/organizations/so-khcn' })).json<{ id: string }>().id;
  const other = (await t.app.inject({ method: 'GET', url: '/api/v1/organizations/so-tnmt' })).json<{ id: string }>().id;
  const put = async (o: string, u: string, role: string) =>
    expect((await t.app.inject({ method: 'PUT', url: `/api/v1/organizations/${o}/members/${u}`, headers: sys.auth, payload: { role } })).statusCode).toBe(204);
  await put(org, member.id, 'member');
  await put(org, editor.id, 'editor');
  await put(org, orgAdmin.id, 'admin');
  await put(other, otherOrgAdmin.id, 'admin');
  const jobId = (await t.app.inject({ method: 'POST', url: '/api/v1/audit/verify', headers: sys.auth })).json<{ jobId: string }>().jobId;
  const newSource = async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/harvest/sources',
      headers: sys.auth,
      payload: { name: `src-${uniq()}`, title: 'Nguồn', type: 'dcat', url: 'http://127.0.0.1:9/catalog.ttl', ownerOrg: 'so-tttt' },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string }>().id;
  };
  const sourceId = await newSource();
  const runId = (await t.app.inject({ method: 'POST', url: `/api/v1/harvest/sources/${sourceId}/runs`, headers: sys.auth, payload: {} })).json<{ id: string }>()
    .id;
  const tableId = await privateTable(t, org);
  expect((await t.app.inject({ method: 'PUT', url: '/api/v1/exchange/registry', headers: sys.auth, payload: { yaml: XR_REGISTRY } })).statusCode).toBe(200);
  const dir = (await t.app.inject({ url: '/api/v1/exchange/directory', headers: sys.auth })).json<{
    members: { subsystems: { key: string; services: { id: string }[] }[] }[];
  }>();
  const xrSub = dir.members[0]!.subsystems[0]!;
  const box = secretBoxOf(t.config);
  await new MessageLog(
    t.db.db,
    () => box,
    'matrix',
    () => 'VN-NT',
  ).append(
    {
      message_id: 'matrix-1',
      request_id: 'r-1',
      client: xrSub.key,
      service: 'VN-NT/GOV/000.00.15.H58/quan-trac/tram',
      method: 'GET',
      path: '/stations/1',
      user_id: null,
      issue: null,
      status: 200,
      error: null,
      duration_ms: 1,
      bytes_in: 0,
      bytes_out: 10,
      request_hash: null,
      request_body_sha256: null,
      response_body_sha256: null,
    },
    undefined,
    true,
  );
  const xr: Ctx['xr'] = {
    serviceId: xrSub.services[0]!.id,
    client: xrSub.key,
    messageId: 'matrix-1',
    freshAccess: async () =>
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/exchange/services/${xrSub.services[0]!.id}/access`,
          headers: sys.auth,
          payload: { client: `VN-NT/GOV/R${uniq()}` },
        })
      ).json<{ id: string }>().id,
    freshCredential: async () =>
      (await t.app.inject({ method: 'POST', url: '/api/v1/exchange/credentials', headers: sys.auth, payload: { client: xrSub.key } })).json<{ id: string }>()
        .id,
  };
  // Organ codes for the two departments; so-tnmt (other) sends so-khcn documents, in-process.
  await sql`update organization set organ_code = '000.00.20.H58' where slug = 'so-khcn'`.execute(t.db.db);
  await sql`update organization set organ_code = '000.00.15.H58' where slug = 'so-tnmt'`.execute(t.db.db);
  const inboxOf = async (documentId: string) => {
    for (let i = 0; i < 100; i++) {
      const r = await sql<{ id: string }>`select id from doc_document where box = 'inbox' and org_id = ${org} and document_id = ${documentId}`.execute(t.db.db);
      if (r.rows[0]) return r.rows[0].id;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`not delivered: ${documentId}`);
  };
  const send = async (auth: Record<string, string>, from: string, to: string, attachments: string[] = []) => {
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/documents/orgs/${from}/outbox`, headers: auth, payload: { ...docInput([to]), attachments } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string; document_id: string }>();
  };
  const upload = await t.app.inject({
    method: 'POST',
    url: '/api/v1/documents/uploads?name=bao-cao.pdf',
    headers: { ...otherOrgAdmin.auth, 'content-type': 'application/pdf' },
    payload: '%PDF-1.4',
  });
  const firstIn = await send(otherOrgAdmin.auth, 'so-tnmt', '000.00.20.H58', [upload.json<{ key: string }>().key]);
  const docs: Ctx['docs'] = {
    inbox: await inboxOf(firstIn.document_id),
    keyPair: testKeyPair('So KHCN Ninh Thuan'),
    freshInbox: async () => inboxOf((await send(otherOrgAdmin.auth, 'so-tnmt', '000.00.20.H58')).document_id),
    freshOutbox: async () => {
      const d = await send(editor.auth, 'so-khcn', '000.00.15.H58');
      await inboxOf(d.document_id).catch(() => undefined);
      for (let i = 0; i < 100; i++) {
        const r = await sql<{ delivery: string }>`select delivery from doc_recipient where document = ${d.id}`.execute(t.db.db);
        if (r.rows[0]?.delivery === 'delivered') break;
        await new Promise((res) => setTimeout(res, 50));
      }
      return d.id;
    },
    freshWebhook: async () =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/documents/orgs/so-khcn/webhooks',
          headers: sys.auth,
          payload: { url: 'https://qlvb.khcn.ninhthuan.gov.vn/hook' },
        })
      ).json<{ id: string }>().id,
    freshDead: async () => {
      const d = await send(editor.auth, 'so-khcn', '000.00.15.H58');
      const r = await sql<{ id: string }>`update doc_delivery set state = 'dead' where document = ${d.id} returning id`.execute(t.db.db);
      return r.rows[0]!.id;
    },
  };
  const newThing = async (datastream = false) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1.1/Things',
      headers: editor.auth,
      payload: stationThing(`Trạm ${uniq()}`, datastream ? { datastreams: [pm25Stream('Phan Rang')] } : {}),
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ '@iot.id': number }>()['@iot.id'];
  };
  const staThing = await newThing(true);
  const staStream = (await t.app.inject({ method: 'GET', url: `/v1.1/Things(${staThing})/Datastreams` })).json<{ value: { '@iot.id': number }[] }>().value[0]![
    '@iot.id'
  ];
  // so-tnmt's report of the year exists as a draft; the matrix's rows set the status they start from.
  const draft = await t.app.inject({ method: 'PUT', url: unitReport('so-tnmt'), headers: sys.auth, payload: {} });
  expect(draft.statusCode, draft.body).toBe(200);
  const view = draft.json<{ sections: { ref: string }[]; indicators: { code: string; required: boolean }[] }>();
  const evidenceOf = async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `${unitReport('so-tnmt')}/evidence?task=IV.8.1&name=minh-chung.pdf`,
      headers: { ...sys.auth, 'content-type': 'application/pdf' },
      payload: Buffer.from('%PDF-1.4 minh chứng'),
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string }>().id;
  };
  const plan: Ctx['plan'] = {
    setStatus: async (status) => {
      await sql`update plan_report set status = ${status} where org_id = ${other}`.execute(t.db.db);
    },
    complete: {
      sections: Object.fromEntries(view.sections.map((s) => [s.ref, { status: 'not_started', difficulties: 'Chưa bố trí được kinh phí.' }])),
      values: Object.fromEntries(view.indicators.filter((i) => i.required).map((i) => [i.code, { value: 1 }])),
    },
    template: (await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/${PLAN_YEAR}/template.docx`, headers: sys.auth })).rawPayload,
    evidence: await evidenceOf(),
    fresh: '',
    freshEvidence: async () => {
      plan.fresh = await evidenceOf();
    },
  };
  const event = await t.app.inject({
    method: 'POST',
    url: '/api/v1/awareness/posts',
    headers: sys.auth,
    payload: { kind: 'event', org: 'so-khcn', title: 'Hội thảo trí tuệ nhân tạo', startsAt: '20/01/2099 08:00', registrationOpen: true, published: true },
  });
  expect(event.statusCode, event.body).toBe(201);
  const awSlug = event.json<{ slug: string }>().slug;
  const registerOne = async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/awareness/posts/${awSlug}/registrations`,
      payload: { name: 'Đại biểu', email: `dai-bieu-${uniq()}@example.vn` },
    });
    expect(r.statusCode, r.body).toBe(201);
    const j = r.json<{ id: string; cancel: { token: string } }>();
    return { id: j.id, token: j.cancel.token };
  };
  const aw: Ctx['aw'] = {
    slug: awSlug,
    registration: (await registerOne()).id,
    fresh: { id: '', token: '' },
    freshRegistration: async () => {
      aw.fresh = await registerOne();
    },
  };
  const api = async (method: 'POST' | 'PUT', path: string, payload: object) => {
    const r = await t.app.inject({ method, url: path, headers: sys.auth, payload });
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json<{ id: string }>();
  };
  const experts: string[] = [];
  for (const name of ['TS. Trần Minh Quang', 'TS. Lê Thị Hồng', 'ThS. Phạm Văn Tâm'])
    experts.push((await api('POST', '/api/v1/planning/experts', { name, field: 'Trí tuệ nhân tạo' })).id);
  const newProposal = async () =>
    (
      await api('POST', '/api/v1/planning/proposals', {
        title: `Đề xuất ${uniq()}`,
        objectives: 'Mục tiêu',
        products: 'Sản phẩm',
        budget: 300,
        durationMonths: 12,
        proposerKind: 'individual',
        proposerName: 'Người đề xuất',
        proposerEmail: 'nguoi-de-xuat@example.vn',
      })
    ).id;
  const inReview = async (scored: boolean) => {
    const id = await newProposal();
    await api('POST', `/api/v1/planning/proposals/${id}/screening`, { accept: true });
    await api('PUT', `/api/v1/planning/proposals/${id}/council`, { members: experts.map((e, i) => ({ expert: e, role: i === 0 ? 'chair' : 'member' })) });
    if (scored)
      for (const e of experts)
        await api('PUT', `/api/v1/planning/proposals/${id}/scores/${e}`, { scores: { necessity: 15, science: 20, feasibility: 20, impact: 15, budget: 8 } });
    return id;
  };
  const pr: Ctx['pr'] = {
    experts,
    review: await inReview(false),
    fresh: '',
    freshSubmitted: async () => {
      pr.fresh = await newProposal();
    },
    freshScored: async () => {
      pr.fresh = await inReview(true);
    },
  };
  const rule = await api('POST', '/api/v1/warnings/rules', {
    org: 'so-khcn',
    name: 'VN_AQI xấu',
    kind: 'threshold',
    station: staThing,
    parameter: 'aqi',
    threshold: 150,
    severity: 'severe',
  });
  const openAlert = async () =>
    (
      await sql<{ id: string }>`insert into wr_alert (rule_id, thing_id, state, opened_at, value, peak, detail, detail_en)
        values (${rule.id}, ${staThing}, 'open', now() - interval '${sql.raw(String(n++))} minutes', 170, 170, 'VN_AQI 170', 'VN_AQI 170') returning id`.execute(
        t.db.db,
      )
    ).rows[0]!.id;
  const wr: Ctx['wr'] = {
    rule: rule.id,
    alert: await openAlert(),
    fresh: '',
    freshAlert: async () => {
      await sql`update wr_alert set state = 'resolved', resolved_at = now() where rule_id = ${rule.id} and state <> 'resolved'`.execute(t.db.db);
      wr.fresh = await openAlert();
    },
    freshSubscription: async () =>
      (await api('POST', '/api/v1/warnings/subscriptions', { org: 'so-khcn', channel: 'email', address: `truc-${uniq()}@example.gov.vn` })).id,
  };
  c = {
    wr,
    pr,
    aw,
    plan,
    sta: { thing: staThing, stream: staStream, freshThing: () => newThing() },
    docs,
    xr,
    tableId,
    sourceId,
    runId,
    freshSourceId: newSource,
    auth: { anonymous: {}, member: member.auth, editor: editor.auth, orgAdmin: orgAdmin.auth, otherOrgAdmin: otherOrgAdmin.auth, sysadmin: sys.auth },
    ids: { member: member.id, editor: editor.id, orgAdmin: orgAdmin.id, otherOrgAdmin: otherOrgAdmin.id, sysadmin: sys.id },
    org,
    plainUser: plain.id,
    jobId,
    memberTokenId: async () => {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: member.auth, payload: { name: 'to revoke' } });
      return r.json<{ info: { id: string } }>().info.id;
    },
  };
});

afterAll(async () => {
  await t?.close();
});

/** A private dataset of `org` with one uploaded CSV, loaded into the datastore (no workers run here). */
async function privateTable(t: TestApp, org: string): Promise<string> {
  const sys = systemPrincipal();
  const d = await createDataset(t.db.db, sys, SYSTEM_ACTOR, { title: 'Bảng riêng', owner_org: org, access_level: 'private' });
  const stored = await t.services.ctx.files.put(Readable.from([Buffer.from('ma,ten,ngay\n1,Một,2026-01-01\n3,Ba,2026-01-02\n')]), 1024);
  const upload = { storageKey: stored.key, filename: 'bang.csv', size: stored.size, mimetype: 'text/csv', sha256: stored.sha256 };
  const r = await createResource(t.db.db, sys, SYSTEM_ACTOR, d.dataset.id, { format: 'CSV' }, upload, { events: t.services.ctx.events });
  const [load] = await loadsOf(t.db.db, sys, r.id);
  expect((await runLoad(t.services.ctx, load!.id)).status).toBe('loaded');
  return r.id;
}

/** Routes that only queue a verification (a read in the background): nothing to audit. */
const QUEUES_A_CHECK = new Set(['/api/v1/audit/verify', '/api/v1/exchange/log/verify']);

describe('permission matrix: every endpoint × every role', () => {
  for (const row of MATRIX) {
    for (const role of ROLES) {
      it(`${row.method} ${row.route} as ${role} → ${row.expect[role]}`, async () => {
        await row.before?.(t, c);
        const url = await row.url(c, role);
        const auditBefore = await countAudit(t.db.db);
        const res = await t.app.inject({
          method: row.method,
          url,
          headers: { ...c.auth[role], ...(row.contentType ? { 'content-type': row.contentType } : {}) },
          ...(row.body ? { payload: row.body(c, role) as object } : {}),
        });
        expect(res.statusCode, res.body).toBe(row.expect[role]);
        if (res.statusCode >= 400) expect(res.json<{ code: string }>().code).toEqual(expect.any(String));
        const auditAfter = await countAudit(t.db.db);
        // Every successful write through the API leaves an audit record; denied requests change nothing.
        if (row.method !== 'GET' && res.statusCode < 300 && !QUEUES_A_CHECK.has(row.route)) expect(auditAfter).toBeGreaterThan(auditBefore);
        if (res.statusCode >= 400) expect(auditAfter).toBe(auditBefore);
      });
    }
  }

  it('covers every route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const covered = new Set(MATRIX.map((r) => `${r.method} ${r.route}`));
    expect(documented.filter((d) => !covered.has(d))).toEqual([]);
  });
});
