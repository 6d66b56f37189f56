import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { badRequest } from '../../../platform/http/index.js';
import type { Endpoint } from './endpoints.js';

const MAX_BYTES = 2 * 1024 * 1024;
const VERBS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];

/** A service's OpenAPI description: a file beside the registry file, or the document inline. */
export function readOpenApi(value: string, baseDir: string | null, field: string): { text: string; source: string | null } {
  const isPath = !/[\n{]/.test(value) && /\.(ya?ml|json)$/i.test(value.trim());
  let text = value;
  if (isPath) {
    const file = path.resolve(baseDir ?? '/nonexistent', value.trim());
    let size: number;
    try {
      if (baseDir === null) throw new Error('no files here');
      size = fs.statSync(file).size;
    } catch {
      throw badRequest('openapi_missing', { vi: `Không đọc được tệp OpenAPI ${value}.`, en: `Cannot read the OpenAPI file ${value}.` }, field);
    }
    if (size > MAX_BYTES)
      throw badRequest('openapi_too_large', { vi: 'Tệp OpenAPI quá lớn (tối đa 2 MB).', en: 'The OpenAPI file is too large (2 MB at most).' }, field);
    text = fs.readFileSync(file, 'utf8');
  }
  openApiDocument(text, field);
  return { text, source: isPath ? value.trim() : null };
}

/** The parsed document; an error naming the field when it is not an OpenAPI (or Swagger) description with paths. */
export function openApiDocument(text: string, field = 'openapi'): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    throw badRequest(
      'openapi_invalid',
      { vi: `OpenAPI không đọc được: ${(e as Error).message}`, en: `The OpenAPI description cannot be read: ${(e as Error).message}` },
      field,
    );
  }
  const d = doc as Record<string, unknown> | null;
  if (!d || typeof d !== 'object' || !(d.openapi || d.swagger) || typeof d.paths !== 'object' || d.paths === null)
    throw badRequest(
      'openapi_invalid',
      { vi: 'Không phải mô tả OpenAPI (thiếu "openapi" hoặc "paths").', en: 'Not an OpenAPI description ("openapi" or "paths" missing).' },
      field,
    );
  return d;
}

/** The endpoints an OpenAPI document declares, with path templates (`{id}`) as `*`. */
export function openApiEndpoints(doc: Record<string, unknown>): (Endpoint & { summary?: string; template: string })[] {
  const out: (Endpoint & { summary?: string; template: string })[] = [];
  for (const [template, item] of Object.entries(doc.paths as Record<string, Record<string, { summary?: string }>>)) {
    if (!item || typeof item !== 'object') continue;
    for (const verb of VERBS) {
      const op = item[verb];
      if (!op) continue;
      out.push({ method: verb.toUpperCase(), path: template.replace(/\{[^}]*\}/g, '*'), template, ...(op.summary ? { summary: String(op.summary) } : {}) });
    }
  }
  return out;
}
