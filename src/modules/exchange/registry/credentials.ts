import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.js';
import { badRequest, notFound } from '../../../platform/http/index.js';
import { parseSubsystem, PART_RE } from '../ids.js';
import type { ExchangeTables } from '../tables.js';
import { bumpRegistry } from './version.js';

const q = (db: Db) => db.withTables<ExchangeTables>();
export const hashCredential = (secret: string) => crypto.createHash('sha256').update(secret).digest('hex');

/** The subsystem row of a client identifier, or a 404 naming it. */
export async function subsystemIdOf(db: Db, client: string): Promise<string> {
  let s;
  try {
    s = parseSubsystem(client, 'client');
  } catch {
    throw badRequest('invalid_client', { vi: 'Bên gọi dạng INSTANCE/CLASS/MEMBER/SUBSYSTEM.', en: 'A client is INSTANCE/CLASS/MEMBER/SUBSYSTEM.' }, 'client');
  }
  const { rows } = await sql<{ id: string }>`
    select s.id from xr_subsystem s join xr_member m on m.id = s.member_id
    where m.instance = ${s.instance} and m.member_class = ${s.memberClass} and m.member_code = ${s.memberCode} and s.code = ${s.subsystemCode}`.execute(db);
  if (!rows[0])
    throw notFound('unknown_client', { vi: `Không có hệ thống ${client} trong danh mục.`, en: `No subsystem ${client} in the registry.` }, 'client');
  return rows[0].id;
}

export interface IssuedToken {
  id: string;
  token: string;
}

const newToken = (kind: 'xr' | 'xp') => `${kind}_${crypto.randomBytes(32).toString('base64url')}`;

/** A client token bound to one subsystem (shown once; only its hash is kept). */
export async function createClientToken(db: Db, client: string, label: string | null): Promise<IssuedToken> {
  const subsystemId = await subsystemIdOf(db, client);
  const token = newToken('xr');
  const row = await q(db)
    .insertInto('xr_credential')
    .values({ kind: 'token', subsystem_id: subsystemId, peer_instance: null, secret_hash: hashCredential(token), prefix: token.slice(0, 7), label })
    .returning('id')
    .executeTakeFirstOrThrow();
  await bumpRegistry(db);
  return { id: row.id, token };
}

/**
 * A token for another instance's gateway (federation): its calls may name any client of that
 * instance, and this instance's access rights decide what they may call.
 */
export async function createPeerToken(db: Db, instance: string, label: string | null): Promise<IssuedToken> {
  if (!PART_RE.test(instance)) throw badRequest('invalid_instance', { vi: 'Mã hệ thống không hợp lệ.', en: 'Not a valid instance code.' }, 'instance');
  const token = newToken('xp');
  const row = await q(db)
    .insertInto('xr_credential')
    .values({ kind: 'peer', subsystem_id: null, peer_instance: instance, secret_hash: hashCredential(token), prefix: token.slice(0, 7), label })
    .returning('id')
    .executeTakeFirstOrThrow();
  await bumpRegistry(db);
  return { id: row.id, token };
}

/** Registers a client certificate (PEM) for mutual TLS: its SHA-256 fingerprint is the credential. */
export async function registerClientCert(db: Db, client: string, pem: string, label: string | null): Promise<{ id: string; fingerprint: string }> {
  const subsystemId = await subsystemIdOf(db, client);
  let fingerprint: string;
  try {
    fingerprint = new crypto.X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase();
  } catch {
    throw badRequest('invalid_certificate', { vi: 'Không phải chứng thư PEM.', en: 'Not a PEM certificate.' }, 'certificate');
  }
  const row = await q(db)
    .insertInto('xr_credential')
    .values({ kind: 'cert', subsystem_id: subsystemId, peer_instance: null, secret_hash: `cert:${fingerprint}`, prefix: fingerprint.slice(0, 12), label })
    .returning('id')
    .executeTakeFirstOrThrow();
  await bumpRegistry(db);
  return { id: row.id, fingerprint };
}

export async function revokeCredential(db: Db, id: string): Promise<boolean> {
  const r = await q(db).updateTable('xr_credential').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  if (r.numUpdatedRows > 0n) await bumpRegistry(db);
  return r.numUpdatedRows > 0n;
}

export interface CredentialView {
  id: string;
  kind: string;
  client: string | null;
  peer_instance: string | null;
  prefix: string;
  label: string | null;
  created_at: Date;
  revoked_at: Date | null;
  organization_id: string | null;
}

export async function listCredentials(db: Db): Promise<CredentialView[]> {
  const { rows } = await sql<CredentialView>`
    select c.id, c.kind, c.peer_instance, c.prefix, c.label, c.created_at, c.revoked_at, m.organization_id,
           case when s.id is null then null else m.instance || '/' || m.member_class || '/' || m.member_code || '/' || s.code end as client
    from xr_credential c left join xr_subsystem s on s.id = c.subsystem_id left join xr_member m on m.id = s.member_id
    order by c.created_at desc`.execute(db);
  return rows;
}

export async function credentialById(db: Db, id: string): Promise<CredentialView | undefined> {
  return (await listCredentials(db)).find((c) => c.id === id);
}
