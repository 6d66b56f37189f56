import { sql } from 'kysely';
import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { requireSysadmin, type Principal } from '../../platform/auth/index.js';
import type { SecretBox } from '../../platform/crypto/index.js';
import type { Db } from '../../platform/db/index.js';
import { badRequest, FieldErrors } from '../../platform/http/index.js';
import { createClientToken } from '../exchange/index.js';
import type { DocumentsTables } from './tables.js';

const q = (db: Db) => db.withTables<DocumentsTables>();

export interface Route {
  /** An organ code with `*` for any one part (`*.*.*.H37`), or `*` for every other agency. */
  pattern: string;
  /** The documents service of the instance that serves those agencies: INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE. */
  service: string;
}

const PATTERN = /^(\*|[0-9A-Z*]{1,3}\.[0-9A-Z*]{1,2}\.[0-9A-Z*]{1,2}\.[A-Z0-9*]{1,3})$/;
const SERVICE = /^[^/\s]+\/[^/\s]+\/[^/\s]+\/[^/\s]+\/[^/\s]+$/;

function matches(pattern: string, organ: string): boolean {
  if (pattern === '*') return true;
  const a = pattern.split('.');
  const b = organ.split('.');
  return a.length === b.length && a.every((p, i) => p === '*' || p === b[i]);
}

/** The first route (in order) whose pattern matches the organ code; exact patterns are listed first by the caller. */
export const routeFor = (routes: Route[], organ: string): Route | undefined => routes.find((r) => matches(r.pattern, organ));

export async function listRoutes(db: Db): Promise<Route[]> {
  return q(db).selectFrom('doc_route').select(['pattern', 'service']).orderBy('position').execute();
}

/** Replaces the routing table (sysadmins): every bad entry named at once, nothing changed then. */
export async function setRoutes(db: Db, p: Principal, actor: AuditActor, routes: Route[]): Promise<Route[]> {
  requireSysadmin(p);
  const errors = new FieldErrors();
  const seen = new Set<string>();
  routes.forEach((r, i) => {
    if (!PATTERN.test(r.pattern))
      errors.add(
        badRequest(
          'invalid_pattern',
          {
            vi: 'Mẫu mã định danh không hợp lệ (ví dụ *.*.*.H37, hoặc * cho mọi cơ quan khác).',
            en: 'Not an organ-code pattern (e.g. *.*.*.H37, or * for every other agency).',
          },
          `routes[${i}].pattern`,
        ),
      );
    else if (seen.has(r.pattern)) errors.add(badRequest('duplicate', { vi: 'Mẫu bị lặp.', en: 'Listed twice.' }, `routes[${i}].pattern`));
    seen.add(r.pattern);
    if (!SERVICE.test(r.service))
      errors.add(
        badRequest(
          'invalid_service',
          { vi: 'Dịch vụ phải là INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE.', en: 'The service must be INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE.' },
          `routes[${i}].service`,
        ),
      );
  });
  errors.throwIfAny();
  await db.transaction().execute(async (trx) => {
    await q(trx).deleteFrom('doc_route').execute();
    if (routes.length)
      await q(trx)
        .insertInto('doc_route')
        .values(routes.map((r, i) => ({ ...r, position: i })))
        .execute();
    await recordAudit(trx, actor, { action: 'documents.routes.set', entityType: 'doc_route', entityId: null, details: { routes } });
  });
  return listRoutes(db);
}

export interface SenderSettings {
  client: string;
  token: string;
}

export async function senderSettings(db: Db, box: () => SecretBox): Promise<SenderSettings | undefined> {
  const r = await q(db).selectFrom('doc_settings').select(['client', 'sealed_token']).executeTakeFirst();
  return r && { client: r.client, token: box().open(r.sealed_token) };
}

export async function senderClient(db: Db): Promise<string | null> {
  const r = await q(db).selectFrom('doc_settings').select('client').executeTakeFirst();
  return r?.client ?? null;
}

/**
 * Names the exchange subsystem this instance sends documents as (registered in the exchange
 * registry); a token for it is issued and kept sealed, so the operator never handles it.
 */
export async function setSenderClient(db: Db, p: Principal, actor: AuditActor, box: () => SecretBox, client: string): Promise<{ client: string }> {
  requireSysadmin(p);
  // The exchange checks the subsystem (its form, and that the registry has it) and issues the token.
  await db.transaction().execute(async (trx) => {
    const issued = await createClientToken(trx, client.trim(), 'documents module');
    await sql`insert into doc_settings (id, client, sealed_token) values (true, ${client.trim()}, ${box().seal(issued.token)})
      on conflict (id) do update set client = excluded.client, sealed_token = excluded.sealed_token`.execute(trx);
    await recordAudit(trx, actor, { action: 'documents.sender.set', entityType: 'doc_settings', entityId: null, details: { client } });
  });
  return { client: client.trim() };
}
