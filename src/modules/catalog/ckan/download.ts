import fs from 'node:fs';
import path from 'node:path';
import { foldVi } from '../../../platform/text/index.js';
import { notFound, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import { uploadFilename } from '../presenters/index.js';
import { getResource } from '../service.js';

const MIME: Record<string, string> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  txt: 'text/plain',
  json: 'application/json',
  geojson: 'application/geo+json',
  xml: 'application/xml',
  pdf: 'application/pdf',
  zip: 'application/zip',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  shp: 'application/octet-stream',
  kml: 'application/vnd.google-earth.kml+xml',
};

export const guessMimetype = (filename: string): string | null => MIME[path.extname(filename).slice(1).toLowerCase()] ?? null;

/** A stored filename: NFC, no directories or control characters, at most 200 characters. */
export function safeFilename(name: string | undefined): string {
  const base = (name ?? '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return (clean.length > 200 ? clean.slice(clean.length - 200) : clean) || 'upload';
}

/** RFC 6266 / 5987: an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(filename: string): string {
  const ascii =
    foldVi(filename)
      .replace(/[^\x20-\x7e]/g, '_')
      .replace(/["\\]/g, '_') || 'download';
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const NO_FILE = { vi: 'Không tìm thấy tệp.', en: 'File not found.' };

/**
 * `GET /dataset/:id/resource/:resourceId/download/:filename`: the uploaded file, with the dataset's
 * access rule (404 / 403); link resources redirect to their URL.
 */
export async function downloadRoute(app: App, ctx: ModuleContext): Promise<void> {
  app.get<{ Params: { id: string; resourceId: string; filename: string } }>(
    '/dataset/:id/resource/:resourceId/download/:filename',
    { schema: { hide: true } },
    async (req, reply) => {
      const { resource, full } = await getResource(ctx.db, req.principal, req.params.resourceId);
      if (req.params.id !== full.dataset.id && req.params.id !== full.dataset.name) throw notFound('resource_not_found', NO_FILE, 'id');
      if (resource.url_type !== 'upload' || !resource.storage_key) {
        if (/^https?:\/\//i.test(resource.url)) return reply.redirect(resource.url, 302);
        throw notFound('resource_not_found', NO_FILE, 'id');
      }
      if (!(await ctx.files.exists(resource.storage_key))) throw notFound('file_not_found', NO_FILE, 'id');
      const filename = uploadFilename(resource);
      const type = resource.mimetype || guessMimetype(filename) || 'application/octet-stream';
      const stream = ctx.files.open(resource.storage_key);
      const { size } = await fs.promises.stat(stream.path);
      void reply
        .header('content-type', type)
        .header('content-disposition', contentDisposition(filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', full.dataset.access_level === 'public' ? 'public, max-age=300' : 'private, no-store');
      void reply.header('content-length', String(size));
      return reply.send(stream);
    },
  );
}
