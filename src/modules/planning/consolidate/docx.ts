import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import { AppError, badRequest } from '../../../platform/http/index.js';
import type { Consolidated } from './build.js';

/**
 * Tags may name a nested value with dots ({counts.units}); docxtemplater's default parser takes
 * a tag as one key (its own dotted parser needs angular-expressions, a whole expression language
 * for this one need). Undefined sends docxtemplater on to the enclosing loop's scope.
 */
function dotted(tag: string) {
  const path = tag === '.' ? [] : tag.trim().split('.');
  return {
    get(scope: unknown): unknown {
      let v = scope;
      for (const k of path) {
        if (v === null || typeof v !== 'object' || !(k in v)) return undefined;
        v = (v as Record<string, unknown>)[k];
      }
      return v;
    },
  };
}
const OPTIONS = { paragraphLoop: true, linebreaks: true, parser: dotted };

/**
 * Fills a Word template with the consolidated report (docxtemplater: loops over table rows and
 * paragraphs, line breaks kept), so the layout is the template's and the Department can replace it.
 */
export function renderDocx(data: Consolidated, template: Buffer): Buffer {
  const doc = new Docxtemplater(new PizZip(template), { ...OPTIONS, nullGetter: () => '' });
  doc.render(data);
  return doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** What an uploaded template may unpack to: a zip of 10 MB can declare gigabytes (a zip bomb). */
export const TEMPLATE_UNPACKED_LIMIT = 50 * 1024 * 1024;

/** Checks that an uploaded template is a Word document docxtemplater can read (its tags parse). */
export function checkTemplate(file: Buffer): void {
  try {
    const zip = new PizZip(file);
    // The sizes the zip's directory declares, before anything is inflated.
    const unpacked = Object.values(zip.files).reduce(
      (n, f) => n + ((f as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0),
      0,
    );
    if (unpacked > TEMPLATE_UNPACKED_LIMIT)
      throw badRequest('template_too_large', { vi: 'Mẫu Word giải nén vượt quá 50 MB.', en: 'The Word template unpacks to more than 50 MB.' }, 'template');
    new Docxtemplater(zip, OPTIONS);
  } catch (e) {
    if (e instanceof AppError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw badRequest('invalid_template', { vi: 'Mẫu Word không đọc được: {why}', en: 'The Word template cannot be read: {why}' }, 'template', {
      why: why.slice(0, 300),
    });
  }
}
