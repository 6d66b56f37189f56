import type { FastifyRequest } from 'fastify';
import { badRequest, type AppError } from './errors.js';

const NUL_MSG = { vi: 'Giá trị chứa ký tự NUL (0x00), không được chấp nhận.', en: 'The value contains a NUL character (0x00), which is not accepted.' };
const MAX_NODES = 100_000;

export const nulError = (field: string): AppError => badRequest('invalid_characters', NUL_MSG, field);

/** The path of the first string (or key) containing U+0000 in a parsed body, if any (bounded walk). */
export function findNul(value: unknown, path = ''): string | undefined {
  const stack: [unknown, string][] = [[value, path]];
  for (let seen = 0; stack.length > 0 && seen < MAX_NODES; seen++) {
    const [v, p] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return p || 'body';
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, `${p}.${i}`.replace(/^\./, '')]));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k.includes('\u0000')) return p || 'body';
        stack.push([x, p ? `${p}.${k}` : k]);
      }
    }
  }
  return undefined;
}

/** Where a NUL sits in the URL: the query parameter's name, or `path`. */
export function nulInUrl(url: string): string | undefined {
  if (!/%00/i.test(url) && !url.includes('\u0000')) return undefined;
  const q = url.indexOf('?');
  if (q >= 0) {
    try {
      for (const [k, v] of new URLSearchParams(url.slice(q + 1))) if (k.includes('\u0000') || v.includes('\u0000')) return k.replace(/\u0000/g, '') || 'query';
    } catch {
      return 'query';
    }
  }
  return 'path';
}

/**
 * PostgreSQL refuses U+0000 in text, so a NUL anywhere in the URL or the body would reach the
 * database as a 500. Every request is checked once, before its handler (after the body is parsed,
 * multipart fields included): 400 naming the field.
 */
export async function nulGuard(req: FastifyRequest): Promise<void> {
  const field = nulInUrl(req.url) ?? (req.body === undefined ? undefined : findNul(req.body));
  if (field) throw nulError(field);
}
