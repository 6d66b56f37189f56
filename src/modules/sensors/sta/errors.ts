import { badRequest, notFound } from '../../../platform/http/index.js';

/** A request the standard does not allow, naming the part at fault (400). */
export const bad = (part: string, en: string, vi: string) => badRequest('sta_bad_request', { vi: `${part}: ${vi}`, en: `${part}: ${en}` }, part);

/** An entity that does not exist (404). */
export const missing = (what: string) => notFound('sta_not_found', { vi: `Không có ${what}.`, en: `No such entity: ${what}.` });
