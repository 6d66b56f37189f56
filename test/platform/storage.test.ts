import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { call, makeUsers, multipart, type Users } from '../catalog/ckan-helpers.js';

let t: TestApp;
let u: Users;
beforeAll(async () => {
  t = await createTestApp();
  u = await makeUsers(t);
  expect(
    (await call(t, 'package_create', { name: 'bao-cao-rieng', title: 'Báo cáo riêng', owner_org: 'so-tnmt', access_level: 'private' }, u.editor)).status,
  ).toBe(200);
});
afterAll(() => t?.close());

const upload = async (action: 'resource_create' | 'resource_update', fields: Record<string, string>, content: string) => {
  const body = multipart(fields, { field: 'upload', filename: 'so-lieu.csv', type: 'text/csv', content: Buffer.from(content) });
  const r = await t.app.inject({ method: 'POST', url: `/api/3/action/${action}`, headers: { ...u.editor, ...body.headers }, payload: body.payload });
  expect(r.statusCode, r.body).toBe(200);
  return r.json<{ result: { id: string; url: string } }>().result;
};
const fileOf = async (resourceId: string) =>
  (
    await t.db.pool.query(`select r.storage_key as key, f.owner, f.released_at from resource r join stored_file f on f.key = r.storage_key where r.id = $1`, [
      resourceId,
    ])
  ).rows[0] as { key: string; owner: string; released_at: Date | null };
const onDisk = (key: string) => fs.existsSync(path.join(t.config.dataDir, 'files', key));
const sweepNow = () => t.services.ctx.files.sweep({ graceMs: 0, unclaimedMs: 3600_000 });

describe('stored files', () => {
  it('records who owns each upload, and removes replaced and deleted resources’ files with the sweep', async () => {
    const r = await upload('resource_create', { package_id: 'bao-cao-rieng', name: 'Số liệu' }, 'a,b\n1,2\n');
    const first = await fileOf(r.id);
    expect(first.owner).toBe(`resource:${r.id}`);
    expect(first.released_at).toBeNull();

    await upload('resource_update', { id: r.id }, 'a,b\n3,4\n');
    const second = await fileOf(r.id);
    expect(second.key).not.toBe(first.key);
    expect((await t.db.pool.query(`select released_at from stored_file where key = $1`, [first.key])).rows[0].released_at).not.toBeNull();
    expect(onDisk(first.key)).toBe(true);
    await sweepNow();
    expect(onDisk(first.key)).toBe(false);
    expect(onDisk(second.key)).toBe(true);

    expect((await call(t, 'resource_delete', { id: r.id }, u.editor)).status).toBe(200);
    await sweepNow();
    expect(onDisk(second.key)).toBe(false);
    expect((await t.db.pool.query(`select count(*)::int as n from stored_file where key = any($1)`, [[first.key, second.key]])).rows[0].n).toBe(0);
  });

  it('removes a deleted dataset’s private files from the disk', async () => {
    const r = await upload('resource_create', { package_id: 'bao-cao-rieng', name: 'Danh sách' }, 'ho ten\nNguyễn Văn A\n');
    const { key } = await fileOf(r.id);
    expect((await call(t, 'package_delete', { id: 'bao-cao-rieng' }, u.editor)).status).toBe(200);
    await sweepNow();
    expect(onDisk(key)).toBe(false);
  });

  it('removes uploads no transaction ever claimed, and partial files a killed process left', async () => {
    const stored = await t.services.ctx.files.put(Readable.from([Buffer.from('never claimed')]), 1000);
    const part = path.join(t.config.dataDir, 'files', 'ab', 'left-behind.part');
    fs.mkdirSync(path.dirname(part), { recursive: true });
    fs.writeFileSync(part, 'half');
    const old = new Date(Date.now() - 2 * 24 * 3600_000);
    fs.utimesSync(part, old, old);
    await t.db.pool.query(`update stored_file set created_at = now() - interval '2 days' where key = $1`, [stored.key]);
    const swept = await sweepNow();
    expect(swept.partials).toBeGreaterThanOrEqual(1);
    expect(onDisk(stored.key)).toBe(false);
    expect(fs.existsSync(part)).toBe(false);
  });

  it('serves byte ranges of a download and refuses an upload announcing more than the limit before reading it', async () => {
    await call(t, 'package_create', { name: 'cong-khai', title: 'Công khai', owner_org: 'so-tnmt' }, u.editor);
    const r = await upload('resource_create', { package_id: 'cong-khai' }, '0123456789');
    const url = new URL(r.url).pathname;
    const part = await t.app.inject({ url, headers: { range: 'bytes=2-5' } });
    expect(part.statusCode).toBe(206);
    expect(part.body).toBe('2345');
    expect(part.headers['content-range']).toBe('bytes 2-5/10');
    expect((await t.app.inject({ url, headers: { range: 'bytes=50-' } })).statusCode).toBe(416);
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/3/action/resource_create',
      headers: { ...u.editor, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(2 * 1024 ** 3) },
      payload: '--x--\r\n',
    });
    expect(big.statusCode).toBe(413);
    expect(big.json<{ error: { __type: string } }>().error.__type).toBe('Validation Error');
  });
});
