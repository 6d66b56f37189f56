import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { SecretBox } from '../../../platform/crypto/index.js';
import type { Db } from '../../../platform/db/index.js';

export interface SigningKey {
  id: string;
  publicPem: string;
  privateKey: crypto.KeyObject;
}

/**
 * The deployment's checkpoint key (ECDSA P-256): made once, its private half sealed with the
 * deployment's secret box; shared by every gateway instance. Call inside the log's lock.
 */
export async function signingKey(db: Db, box: () => SecretBox): Promise<SigningKey> {
  const { rows } = await sql<{ id: string; public_pem: string; sealed_private: string }>`
    select id, public_pem, sealed_private from xr_signing_key order by created_at desc limit 1`.execute(db);
  if (rows[0]) return { id: rows[0].id, publicPem: rows[0].public_pem, privateKey: crypto.createPrivateKey(box().open(rows[0].sealed_private)) };
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const sealed = box().seal(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const ins = await sql<{ id: string }>`insert into xr_signing_key (public_pem, sealed_private) values (${publicPem}, ${sealed}) returning id`.execute(db);
  return { id: ins.rows[0]!.id, publicPem, privateKey };
}

/** The text a checkpoint signs (ASCII lines; what `openssl dgst -sha256 -verify` checks). */
export const checkpointStatement = (instance: string, seq: number, hash: string, at: string) =>
  `tinhso exchange log checkpoint v1\ninstance: ${instance}\nseq: ${seq}\nhash: ${hash}\nat: ${at}\n`;

/** ECDSA with SHA-256, DER-encoded (openssl's format), as base64. */
export const signStatement = (key: crypto.KeyObject, statement: string) => crypto.sign('sha256', Buffer.from(statement), key).toString('base64');

export const verifyStatement = (publicPem: string, statement: string, signature: string) => {
  try {
    return crypto.verify('sha256', Buffer.from(statement), publicPem, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
};
