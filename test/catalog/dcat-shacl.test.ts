import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../../src/app/index.js';
import { createDataset } from '../../src/modules/catalog/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { shaclResults } from './shacl.js';

/**
 * DCAT output against the official DCAT-AP 3.0.1 SHACL shapes, with a maintained validator
 * (rdf-validate-shacl): the whole demo catalogue conforms to the mandatory and the range shapes,
 * with no tolerated failure; a fully described dataset also to the recommended shapes.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await prepareDatabase(t.db.db, { demo: true, files: t.services.ctx.files });
  // One public dataset is a harvested copy: it names its original (dct:source), which must conform too.
  await t.db.pool.query(`
    with src as (insert into harvest_source (name, title, type, url, owner_org)
      select 'khanh-hoa', 'Cổng dữ liệu Khánh Hòa', 'ckan', 'https://dulieu.khanhhoa.gov.vn', id from organization where slug = 'so-tnmt' returning id)
    update dataset set harvest_source_id = (select id from src), harvest_url = 'https://dulieu.khanhhoa.gov.vn/dataset/' || name, harvest_original_id = name
    where name = (select name from dataset where access_level = 'public' and state = 'active' order by name limit 1)`);
});
afterAll(async () => t?.close());

const turtle = async (url: string, auth: Record<string, string> = {}) => {
  const res = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/turtle', ...auth } });
  expect(res.statusCode).toBe(200);
  return res.body;
};
const summary = (rs: Awaited<ReturnType<typeof shaclResults>>) => rs.map((r) => `${r.severity} ${r.focus} ${r.path}: ${r.message}`);

describe('DCAT-AP 3.0.1 SHACL', () => {
  it('the whole catalogue conforms to the mandatory and range shapes, as the public and as a sysadmin see it', async () => {
    const admin = await t.userWithToken({ email: 'root@ninhthuan.gov.vn', sysadmin: true });
    const seen: number[] = [];
    for (const auth of [{}, admin.auth]) {
      const body = await turtle('/catalog.ttl', auth);
      seen.push(body.match(/a dcat:Dataset/g)?.length ?? 0);
      expect(body).toContain('dulieu.khanhhoa.gov.vn/dataset/');
      const results = await shaclResults(body, ['shapes.ttl', 'range.ttl'], t.config.baseUrl);
      expect(summary(results)).toEqual([]);
    }
    expect(seen[0]).toBeGreaterThan(3);
    expect(seen[1]).toBeGreaterThan(seen[0]!); // restricted and private datasets too
  });

  it('a fully described dataset also conforms to the recommended shapes', async () => {
    // Every recommended property given. Its place is a bounding box: administrative-unit
    // locations carry no geometry yet (boundaries come with the map), so a dataset naming units
    // would get the recommendation "Location: bbox, centroid" for each of them.
    const p = await t.principalFor('bientap@tnmt.vn', { org: 'so-tnmt', role: 'editor' });
    await createDataset(t.db.db, p, SYSTEM_ACTOR, {
      name: 'quan-trac-nuoc-mat-2024',
      title: 'Quan trắc nước mặt năm 2024',
      title_en: 'Surface water monitoring 2024',
      notes: 'Kết quả quan trắc định kỳ chất lượng nước mặt tại 12 điểm trên sông Dinh và sông Lu.',
      notes_en: 'Periodic surface water quality results at 12 points on the Dinh and Lu rivers.',
      owner_org: 'so-tnmt',
      license_id: 'cc-by',
      tags: ['nước mặt', 'quan trắc'],
      groups: [{ name: 'tai-nguyen-moi-truong' }],
      bbox: [108.8, 11.3, 109.2, 11.8],
      temporal_start: '2024-01-01',
      temporal_end: '2024-12-31',
      update_frequency: 'hằng quý',
      contact_name: 'Chi cục Bảo vệ môi trường',
      contact_email: 'ccbvmt@ninhthuan.gov.vn',
      resources: [
        { name: 'Số liệu quan trắc', description: 'Một hàng cho mỗi mẫu nước.', url: 'https://stnmt.ninhthuan.gov.vn/quan-trac-2024.csv', format: 'CSV' },
      ],
    });
    const body = await turtle('/dataset/quan-trac-nuoc-mat-2024.ttl');
    const results = await shaclResults(body, ['shapes.ttl', 'range.ttl', 'shapes_recommended.ttl'], t.config.baseUrl);
    expect(summary(results)).toEqual([]);
  });
});
