import crypto from 'node:crypto';
import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import { hasOrgRole, requireUser, type Principal } from '../../platform/auth/index.js';
import type { SecretBox } from '../../platform/crypto/index.js';
import type { Db } from '../../platform/db/index.js';
import { badRequest, forbidden } from '../../platform/http/index.js';
import type { DocumentsTables } from './tables.js';

const q = (db: Db) => db.withTables<DocumentsTables>();

export interface OrgKeyView {
  subject: string;
  issuer: string;
  serial: string;
  validTo: Date;
  createdAt: Date;
}

function requireOrgAdmin(p: Principal, orgId: string): void {
  requireUser(p);
  if (!p.user!.isSysadmin && !hasOrgRole(p, orgId, 'admin'))
    throw forbidden('forbidden', { vi: 'Chỉ quản trị của cơ quan đặt khóa ký.', en: 'Only an admin of the organization sets its signing key.' });
}

/**
 * Sets an organization's signing key and certificate (PEM): the pair must match (a test signature
 * verifies) and the certificate be current; the private key is kept sealed with the deployment's key.
 */
export async function setOrgKey(
  db: Db,
  p: Principal,
  actor: AuditActor,
  box: () => SecretBox,
  orgId: string,
  input: { cert: string; key: string },
): Promise<OrgKeyView> {
  requireOrgAdmin(p, orgId);
  let cert: crypto.X509Certificate;
  try {
    cert = new crypto.X509Certificate(input.cert);
  } catch {
    throw badRequest('invalid_certificate', { vi: 'Không đọc được chứng thư số (PEM).', en: 'The certificate (PEM) cannot be read.' }, 'cert');
  }
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(input.key);
  } catch {
    throw badRequest(
      'invalid_key',
      { vi: 'Không đọc được khóa bí mật (PEM, không đặt mật khẩu).', en: 'The private key (PEM, unencrypted) cannot be read.' },
      'key',
    );
  }
  if (key.asymmetricKeyType !== 'rsa') throw badRequest('invalid_key', { vi: 'Khóa ký phải là RSA.', en: 'The signing key must be RSA.' }, 'key');
  const probe = crypto.sign('sha256', Buffer.from('tinhso'), key);
  if (!crypto.verify('sha256', Buffer.from('tinhso'), cert.publicKey, probe))
    throw badRequest('key_mismatch', { vi: 'Khóa bí mật không khớp với chứng thư số.', en: 'The private key does not match the certificate.' }, 'key');
  const validTo = new Date(cert.validTo);
  if (validTo.getTime() < Date.now()) throw badRequest('certificate_expired', { vi: 'Chứng thư số đã hết hạn.', en: 'The certificate has expired.' }, 'cert');
  const row = {
    org_id: orgId,
    cert_pem: cert.toString(),
    sealed_key: box().seal(key.export({ type: 'pkcs8', format: 'pem' }).toString()),
    subject: cert.subject,
    issuer: cert.issuer,
    serial: cert.serialNumber,
    valid_to: validTo,
  };
  await db.transaction().execute(async (trx) => {
    await q(trx)
      .insertInto('doc_org_key')
      .values(row)
      .onConflict((oc) => oc.column('org_id').doUpdateSet({ ...row, created_at: new Date() }))
      .execute();
    await recordAudit(trx, actor, {
      action: 'documents.key.set',
      entityType: 'organization',
      entityId: orgId,
      details: { subject: row.subject, serial: row.serial },
    });
  });
  return (await orgKey(db, orgId))!;
}

export async function orgKey(db: Db, orgId: string): Promise<OrgKeyView | undefined> {
  const r = await q(db).selectFrom('doc_org_key').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  return r && { subject: r.subject, issuer: r.issuer, serial: r.serial, validTo: r.valid_to, createdAt: r.created_at };
}

/** The key and certificate an organization signs with, or none (its packages go unsigned). */
export async function signerOf(db: Db, box: () => SecretBox, orgId: string): Promise<{ key: string; cert: string } | undefined> {
  const r = await q(db).selectFrom('doc_org_key').select(['cert_pem', 'sealed_key']).where('org_id', '=', orgId).executeTakeFirst();
  return r && { key: box().open(r.sealed_key), cert: r.cert_pem };
}
