import type { FastifyRequest } from 'fastify';
import { tooLarge } from './errors.js';

/** Room for the multipart envelope and the form fields around the file. */
const ENVELOPE = 1024 * 1024;

/**
 * onRequest hook for upload routes: a multipart body that announces more than the limit is refused
 * with 413 before a byte of it is read (JSON bodies get the same from Fastify's bodyLimit).
 */
export const refuseDeclaredTooLarge =
  (maxBytes: number) =>
  async (req: FastifyRequest): Promise<void> => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!String(req.headers['content-type'] ?? '').startsWith('multipart/') || !(declared > maxBytes + ENVELOPE)) return;
    const mb = Math.round(maxBytes / 1024 / 1024);
    throw tooLarge(
      'upload_too_large',
      { vi: 'Tệp lớn hơn giới hạn cho phép ({mb} MB).', en: 'The file is larger than the upload limit ({mb} MB).' },
      'upload',
      { mb },
    );
  };
