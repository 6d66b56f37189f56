import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const VERSION = 'v1';
const KEY_FILE = 'secret.key';

/**
 * Encrypts the secrets the platform must use again (a sector database's password): AES-256-GCM
 * with a random 96-bit nonce per value, stored as "v1:<base64 nonce|tag|ciphertext>". Node's own
 * crypto, no library: this is the whole of it. A value changed in the database fails to decrypt
 * (the tag), rather than giving something else.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new Error('The secret key must be 32 bytes (base64 in TINHSO_SECRET_KEY)');
    return new SecretBox(key);
  }

  seal(plain: string): string {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `${VERSION}:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string): string {
    const [v, data] = sealed.split(':', 2);
    if (v !== VERSION || !data) throw new Error('not a sealed secret');
    const raw = Buffer.from(data, 'base64');
    const d = crypto.createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }
}

/**
 * The deployment's secret box: the configured key, or the key file under the data dir (made,
 * readable by the owner only, the first time; kept with the data dir's backups of files).
 */
export function secretBoxOf(config: { secretKey: string | undefined; dataDir: string }): SecretBox {
  if (config.secretKey) return SecretBox.fromKey(Buffer.from(config.secretKey, 'base64'));
  const file = path.join(config.dataDir, KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return SecretBox.fromKey(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'));
}
