import crypto from 'node:crypto';

/** Random bearer secrets (API tokens, session ids). Only their SHA-256 is stored. */
export const newSecret = (prefix: string): string => `${prefix}${crypto.randomBytes(32).toString('base64url')}`;
export const hashSecret = (secret: string): string => crypto.createHash('sha256').update(secret).digest('hex');
/** Whether a presented secret is the one whose hash is stored (constant time). */
export const secretMatches = (secret: string, storedHash: string): boolean => {
  const given = Buffer.from(hashSecret(secret));
  const stored = Buffer.from(storedHash);
  return given.length === stored.length && crypto.timingSafeEqual(given, stored);
};
