import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { ANONYMOUS, type Principal } from '../../src/platform/auth/index.js';
import { createDataset, deleteDataset, getDataset, updateDataset, type DatasetInput } from '../../src/modules/catalog/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
const principals: Record<string, Principal> = {};

beforeAll(async () => {
  t = await createTestApp();
  principals.editor = await t.principalFor('editor@tnmt.vn', { org: 'so-tnmt', role: 'editor' });
  principals.tnmtMember = await t.principalFor('member@tnmt.vn', { org: 'so-tnmt', role: 'member' });
  principals.khcn = await t.principalFor('officer@khcn.vn', { org: 'so-khcn', role: 'member' });
  principals.commune = await t.principalFor('xa@phuocdinh.vn', { org: 'ubnd-xa-phuoc-dinh-22903', role: 'member' });
  principals.noOrg = await t.principalFor('citizen@example.org');
  principals.sys = await t.principalFor('root@example.org', { sysadmin: true });
});
afterAll(async () => t?.close());

describe('catalog service', () => {
  it('creates a dataset with tags, theme and resources, stored NFC', async () => {
    const full = await createDataset(t.db.db, principals.editor!, SYSTEM_ACTOR, {
      title: 'Chất lượng nước thải công nghiệp'.normalize('NFD'),
      owner_org: 'so-tnmt',
      notes: 'Kết quả quan trắc nước thải tại các khu công nghiệp.',
      tags: ['nước thải', { name: 'quan trắc' }],
      groups: [{ name: 'tai-nguyen-moi-truong' }],
      license_id: 'cc-by',
      spatial_codes: ['58'],
      resources: [{ name: 'Số liệu 2024', url: 'https://example.org/2024.csv', format: 'csv' }],
    });
    expect(full.dataset.name).toBe('chat-luong-nuoc-thai-cong-nghiep');
    expect(full.dataset.title).toBe('Chất lượng nước thải công nghiệp'.normalize('NFC'));
    expect(full.tags.map((x) => x.name).sort()).toEqual(['nước thải', 'quan trắc']);
    expect(full.groups.map((g) => g.name)).toEqual(['tai-nguyen-moi-truong']);
    expect(full.resources[0]?.format).toBe('CSV');
    expect(full.org?.slug).toBe('so-tnmt');
    const { rows } = await t.db.pool.query(`select search_folded from dataset where id = $1`, [full.dataset.id]);
    expect(rows[0].search_folded).toContain('nuoc thai');
  });

  it('refuses writes from people who are not editors of the owner organization', async () => {
    await expect(createDataset(t.db.db, principals.tnmtMember!, SYSTEM_ACTOR, { title: 'X', owner_org: 'so-tnmt' })).rejects.toMatchObject({ status: 403 });
    await expect(createDataset(t.db.db, ANONYMOUS, SYSTEM_ACTOR, { title: 'X', owner_org: 'so-tnmt' })).rejects.toMatchObject({ status: 401 });
    await expect(createDataset(t.db.db, principals.editor!, SYSTEM_ACTOR, { title: 'X', owner_org: 'so-khcn' })).rejects.toMatchObject({ status: 403 });
  });

  it('names the bad field and changes nothing', async () => {
    const bad: [DatasetInput, string][] = [
      [{ title: 'Y', owner_org: 'so-tnmt', name: 'Có Dấu' }, 'name'],
      [{ title: 'Y', owner_org: 'so-tnmt', license_id: 'nope' }, 'license_id'],
      [{ title: 'Y', owner_org: 'so-tnmt', temporal_start: '2024-02-30' }, 'temporal_start'],
      [{ title: 'Y', owner_org: 'so-tnmt', temporal_start: '2024-05-01', temporal_end: '2024-01-01' }, 'temporal_end'],
      [{ title: 'Y', owner_org: 'nowhere' }, 'owner_org'],
      [{ owner_org: 'so-tnmt' }, 'title'],
      [{ title: 'Y', owner_org: 'so-tnmt', groups: [{ name: 'no-such-group' }] }, 'groups'],
    ];
    const before = (await t.db.pool.query('select count(*)::int as n from dataset')).rows[0].n;
    for (const [input, field] of bad) await expect(createDataset(t.db.db, principals.editor!, SYSTEM_ACTOR, input)).rejects.toMatchObject({ field });
    expect((await t.db.pool.query('select count(*)::int as n from dataset')).rows[0].n).toBe(before);
  });

  it('applies the four access levels to reads', async () => {
    const mk = (name: string, extra: object) => createDataset(t.db.db, principals.editor!, SYSTEM_ACTOR, { name, title: name, owner_org: 'so-tnmt', ...extra });
    await mk('lvl-public', { access_level: 'public' });
    await mk('lvl-gov', { access_level: 'government' });
    await mk('lvl-restricted', { access_level: 'restricted', restricted_orgs: ['so-khcn'], restricted_kinds: ['commune_committee'] });
    await mk('lvl-private', { private: true });
    const can = async (who: Principal, name: string) =>
      getDataset(t.db.db, who, name).then(
        () => true,
        () => false,
      );
    const table = {
      anonymous: [ANONYMOUS, [true, false, false, false]],
      noOrg: [principals.noOrg!, [true, false, false, false]],
      khcn: [principals.khcn!, [true, true, true, false]],
      commune: [principals.commune!, [true, true, true, false]],
      tnmtMember: [principals.tnmtMember!, [true, true, true, true]],
      sys: [principals.sys!, [true, true, true, true]],
    } as const;
    for (const [who, [p, expected]] of Object.entries(table)) {
      const got = [await can(p, 'lvl-public'), await can(p, 'lvl-gov'), await can(p, 'lvl-restricted'), await can(p, 'lvl-private')];
      expect(got, who).toEqual(expected);
    }
  });

  it('updates, patches and deletes with activity history', async () => {
    const c = await createDataset(t.db.db, principals.editor!, SYSTEM_ACTOR, { name: 'hist', title: 'Lịch sử', owner_org: 'so-tnmt', tags: ['a', 'b'] });
    const patched = await updateDataset(t.db.db, principals.editor!, SYSTEM_ACTOR, 'hist', { notes: 'Mô tả' }, 'patch');
    expect(patched.tags.map((x) => x.name)).toEqual(['a', 'b']);
    const updated = await updateDataset(t.db.db, principals.editor!, SYSTEM_ACTOR, c.dataset.id, { title: 'Lịch sử 2', owner_org: 'so-tnmt' }, 'update');
    expect(updated.tags).toEqual([]);
    expect(updated.dataset.notes).toBe('Mô tả');
    await deleteDataset(t.db.db, principals.editor!, SYSTEM_ACTOR, 'hist');
    await expect(getDataset(t.db.db, principals.sys!, 'hist')).rejects.toMatchObject({ status: 404 });
    const { rows } = await t.db.pool.query(`select action from dataset_activity where dataset_id = $1 order by id`, [c.dataset.id]);
    expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'update', 'delete']);
  });
});
