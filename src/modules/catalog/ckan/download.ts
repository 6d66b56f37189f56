import path from 'node:path';
import { contentDisposition, notFound, type App } from '../../../platform/http/index.js';
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

const NO_FILE = { vi: 'Không tìm thấy tệp.', en: 'File not found.' };

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` of a file of `size` bytes (RFC 9110 §14.1.2); null when absent or not one range. */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (!Number.isSafeInteger(start) || start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

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
      const stat = await ctx.files.stat(resource.storage_key);
      if (!stat) throw notFound('file_not_found', NO_FILE, 'id');
      const { size } = stat;
      const filename = uploadFilename(resource);
      const type = resource.mimetype || guessMimetype(filename) || 'application/octet-stream';
      // One byte range (resumed downloads, previews of large files); anything else gets the whole file.
      const range = byteRange(req.headers.range, size);
      if (range === 'unsatisfiable') return reply.status(416).header('content-range', `bytes */${size}`).send();
      const stream = ctx.files.open(resource.storage_key, range ?? undefined);
      void reply.header('accept-ranges', 'bytes');
      if (range) void reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
      void reply
        .header('content-type', type)
        .header('content-disposition', contentDisposition(filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', full.dataset.access_level === 'public' ? 'public, max-age=300' : 'private, no-store');
      void reply.header('content-length', String(range ? range.end - range.start + 1 : size));
      return reply.send(stream);
    },
  );
}
