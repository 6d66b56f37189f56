import { expect } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { call, makeUsers, multipart, type Users } from '../catalog/ckan-helpers.js';

export interface Load {
  status: string;
  version: number | null;
  rows: number | null;
  report: {
    valid: boolean;
    stats: { errors: number };
    tasks: { name: string; warnings: string[]; errors: { type: string; rowNumber: number; fieldName: string; cell: string; message: string }[] }[];
  } | null;
  error: string | null;
}

/** Calls against one test app as its users: datasets, uploads, and waiting for their loads. */
export function datastoreClient(t: TestApp, u: Users) {
  return {
    async dataset(name: string, extra: Record<string, unknown> = {}): Promise<string> {
      const r = await call(t, 'package_create', { name, title: `Dữ liệu ${name}`, owner_org: 'so-tnmt', ...extra }, u.editor);
      expect(r.status, r.raw).toBe(200);
      return r.body.result.id as string;
    },

    async upload(action: 'resource_create' | 'resource_update', fields: Record<string, string>, filename: string, content: Buffer, type = 'text/csv') {
      const m = multipart(fields, { field: 'upload', filename, type, content });
      const r = await t.app.inject({ method: 'POST', url: `/api/3/action/${action}`, payload: m.payload, headers: { ...m.headers, ...u.editor } });
      expect(r.statusCode, r.body).toBe(200);
      return (JSON.parse(r.body) as { result: { id: string; datastore_active: boolean } }).result;
    },

    /** Waits until the newest load of the resource is done, and returns it. */
    async settled(rid: string, count = 1): Promise<Load> {
      for (let i = 0; i < 300; i++) {
        const r = await t.app.inject({ method: 'GET', url: `/api/v1/datastore/${rid}/loads`, headers: u.editor });
        const loads = (r.json() as { loads: Load[] }).loads;
        if (loads.length >= count && !['queued', 'running'].includes(loads[0]!.status)) return loads[0]!;
        await new Promise((res) => setTimeout(res, 100));
      }
      throw new Error('load did not finish');
    },

    search: (params: Record<string, unknown>, who: Record<string, string> = u.editor) => call(t, 'datastore_search', params, who, 'GET'),
  };
}

export type DatastoreClient = ReturnType<typeof datastoreClient>;

/** A test app with workers (loads run), its users, and the datastore client for them. */
export async function openDatastoreApp(opts: { outboundAllow?: string[]; baseUrl?: string } = {}): Promise<{ t: TestApp; u: Users; ds: DatastoreClient }> {
  const t = await createTestApp({ work: true, ...opts });
  const u = await makeUsers(t);
  return { t, u, ds: datastoreClient(t, u) };
}

/** Text as Windows-1258 holds it: base letters with â, ă, ơ… precomposed, tone marks as combining characters. */
const TONE = /[\u0300\u0301\u0303\u0309\u0323]/g;
export const cp1258Form = (s: string) =>
  s
    .normalize('NFD')
    .replace(
      /([A-Za-z])([\u0300-\u036f]+)/g,
      (_m, base: string, marks: string) => `${(base + marks.replace(TONE, '')).normalize('NFC')}${marks.match(TONE)?.join('') ?? ''}`,
    );
