import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { hanoiDailyPm25 } from '../helpers/airnow.js';
import { call, type Users } from '../catalog/ckan-helpers.js';
import { openDatastoreApp, type DatastoreClient } from './helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

let t: TestApp;
let u: Users;
let ds: DatastoreClient;
beforeAll(async () => ({ t, u, ds } = await openDatastoreApp()));
afterAll(async () => t?.close());

function dailyMeans(): { ngay: string; pm25: number }[] {
  return hanoiDailyPm25().map((d) => ({ ngay: d.day, pm25: d.pm25 }));
}

const get = async (rid: string, qs: string, who: Record<string, string> = u.editor) => {
  const r = await t.app.inject({ method: 'GET', url: `/api/v1/datastore/${rid}/forecast?${qs}`, headers: { 'accept-language': 'en', ...who } });
  return { status: r.statusCode, json: () => r.json() as Loose };
};

describe('forecasts of a datastore column', () => {
  let rid: string;
  const days = dailyMeans();
  beforeAll(async () => {
    const pkg = await ds.dataset('pm25-ngay-ha-noi');
    const r = await call(
      t,
      'datastore_create',
      {
        resource: { package_id: pkg, name: 'PM2.5 trung bình ngày' },
        fields: [
          { id: 'ngay', type: 'date' },
          { id: 'tram', type: 'text' },
          { id: 'pm25', type: 'numeric' },
        ],
        // The last 30 days are held out.
        records: days.slice(0, -30).map((d) => ({ ...d, tram: 'Đại sứ quán Hoa Kỳ' })),
      },
      u.editor,
    );
    expect(r.status, r.raw).toBe(200);
    rid = r.body.result.resource_id;
  });

  it('forecasts the days after the last one, with the model chosen by evaluation, closer to the held-out month than seasonal naive', async () => {
    const r = await get(rid, 'time=ngay&value=pm25&horizon=30');
    expect(r.status).toBe(200);
    const f = r.json();
    expect(f.forecast).toHaveLength(30);
    const held = days.slice(-30);
    expect(f.forecast.map((p: Loose) => p.time)).toEqual(held.map((d) => d.ngay));
    expect(f.evaluation.scores.length).toBeGreaterThan(2);
    for (const p of f.forecast) {
      // PM2.5 was never negative: neither is its forecast.
      expect(p.lower95).toBeGreaterThanOrEqual(0);
      expect(p.lower95).toBeLessThanOrEqual(p.lower80);
      expect(p.upper95).toBeGreaterThanOrEqual(p.upper80);
    }
    const train = days.slice(0, -30).map((d) => d.pm25);
    const season = f.season > 1 ? f.season : 7;
    const ours = held.reduce((s, d, j) => s + Math.abs(d.pm25 - f.forecast[j].mean), 0);
    const naive = held.reduce((s, d, j) => s + Math.abs(d.pm25 - train[train.length - season + (j % season)]!), 0);
    expect(ours).toBeLessThan(naive);
  });

  it('names the bad field, refuses repeated times unless grouped, and keeps the table’s access rule', async () => {
    const noTime = await get(rid, 'time=tram&value=pm25');
    expect(noTime.status).toBe(400);
    expect(noTime.json().field).toBe('time');
    const noValue = await get(rid, 'time=ngay&value=tram');
    expect(noValue.json().field).toBe('value');
    expect((await get(rid, 'time=ngay&value=pm25&horizon=0')).status).toBe(400);
    expect((await get(rid, 'time=ngay&value=pm25&horizon=9999999999')).status).toBe(400);
    expect((await get(rid, 'time=ngay&value=pm25&__proto__=1')).status).toBe(400);
    const again = await call(
      t,
      'datastore_upsert',
      { resource_id: rid, method: 'insert', records: [{ ngay: days[0]!.ngay, tram: 'Trạm khác', pm25: 40 }] },
      u.editor,
    );
    expect(again.status, again.raw).toBe(200);
    const repeated = await get(rid, 'time=ngay&value=pm25');
    expect(repeated.status).toBe(400);
    expect(repeated.json().detail).toMatch(/^Row _id \d+: the same time as row \d+/);
    expect((await get(rid, 'time=ngay&value=pm25&agg=avg&horizon=3')).status).toBe(200);
    expect((await get('00000000-0000-4000-8000-000000000000', 'time=ngay&value=pm25')).status).toBe(404);
  });
});
