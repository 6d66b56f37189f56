import type { FastifyRequest } from 'fastify';
import { format, type Lang } from '../../../platform/i18n/index.js';
import { isAppError } from '../../../platform/http/index.js';
import { TooLargeError } from '../../../platform/storage/index.js';

/** CKAN's error types and the HTTP status each is sent with. */
export const CKAN_ERRORS = {
  'Validation Error': 409,
  'Authorization Error': 403,
  'Not Found Error': 404,
  'Integrity Error': 400,
  'Search Query Error': 400,
  'Search Error': 409,
  'Internal Server Error': 500,
} as const;
export type CkanErrorType = keyof typeof CKAN_ERRORS;

/** An error shaped for the CKAN envelope: `error = {__type, message, ...fields}`. */
export class CkanError extends Error {
  constructor(
    readonly type: CkanErrorType,
    message: string,
    readonly fields: Record<string, string[]> = {},
    readonly status: number = CKAN_ERRORS[type],
  ) {
    super(message);
  }
}

/** Errors that CKAN answers with a bare JSON string instead of the envelope. */
export class CkanBadRequest extends Error {}

export const validation = (field: string, message: string) => new CkanError('Validation Error', `${field}: ${message}`, { [field]: [message] });
export const accessDenied = (why: string) => new CkanError('Authorization Error', `Access denied: ${why}`);
export const notFoundError = (what: string) => new CkanError('Not Found Error', `Not found: ${what}`);

/** English for CKAN clients unless the caller asked for a language. */
export function ckanLang(req: FastifyRequest): Lang {
  const q = req.query as Record<string, unknown> | undefined;
  const asked = !!req.headers['accept-language'] || typeof q?.lang === 'string' || !!req.cookies?.lang;
  return asked ? req.lang : 'en';
}

/** Field names of the organizations service → CKAN's organization dict. */
const ORG_FIELDS: Record<string, string> = {
  slug: 'name',
  name: 'title',
  organCode: 'organ_code',
  parentId: 'parent',
  nameEn: 'title_en',
  shortName: 'short_name',
  adminUnitCode: 'admin_unit_code',
  userId: 'object',
};

/** Our errors → CKAN's: AppErrors keep their message (in `lang`) and field; anything else is a 500. */
export function toCkanError(e: unknown, lang: Lang, opts: { orgFields?: boolean } = {}): CkanError {
  if (e instanceof CkanError) return e;
  if (e instanceof TooLargeError || (e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
    const limit = e instanceof TooLargeError ? e.limit : undefined;
    const mb = limit ? ` (${Math.round(limit / 1024 / 1024)} MB)` : '';
    const msg = lang === 'vi' ? `Tệp lớn hơn giới hạn cho phép${mb}.` : `The file is larger than the upload limit${mb}.`;
    return new CkanError('Validation Error', msg, { upload: [msg] }, 413);
  }
  if (isAppError(e)) {
    const msg = format(e.msg, lang, e.params);
    if (e.code === 'search_query_error') return new CkanError('Search Query Error', msg);
    if (e.code === 'invalid_characters') return new CkanError('Validation Error', `${e.field}: ${msg}`, { [e.field ?? 'body']: [msg] }, 400);
    if (e.code === 'search_error') return new CkanError('Search Error', msg);
    if (e.status === 401 || e.status === 403) return accessDenied(msg);
    if (e.status === 404) return new CkanError('Not Found Error', `Not found: ${msg}`, e.field && e.field !== 'id' ? { [e.field]: [msg] } : {});
    if (e.status === 413) return new CkanError('Validation Error', msg, { upload: [msg] }, 413);
    if (e.fieldErrors.length > 1) {
      const fields: Record<string, string[]> = {};
      for (const f of e.fieldErrors) (fields[(opts.orgFields ? ORG_FIELDS[f.field] : undefined) ?? f.field] ??= []).push(format(f.msg, lang, f.params));
      return new CkanError(
        'Validation Error',
        Object.entries(fields)
          .map(([k, m]) => `${k}: ${m.join('; ')}`)
          .join(', '),
        fields,
      );
    }
    if (e.status >= 400 && e.status < 500) {
      const field = e.field ? ((opts.orgFields ? ORG_FIELDS[e.field] : undefined) ?? e.field) : undefined;
      return new CkanError('Validation Error', field ? `${field}: ${msg}` : msg, field ? { [field]: [msg] } : {});
    }
  }
  return new CkanError('Internal Server Error', 'Internal Server Error');
}
