import crypto from 'node:crypto';

/** Random bearer secrets (API tokens, session ids). Only their SHA-256 is stored. */
export const newSecret = (prefix: string): string => `${prefix}${crypto.randomBytes(32).toString('base64url')}`;
export const hashSecret = (secret: string): string => crypto.createHash('sha256').update(secret).digest('hex');
