import { afterAll, beforeAll, expect, it } from 'vitest';
import { dailyAqi, stationDailyAqi } from '../../src/modules/sensors/index.js';
import { createOrganization, setMember } from '../../src/modules/organizations/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pm25Stream, stationThing } from '../helpers/stations.js';

/**
 * The hourly rollups the database keeps (sta/hourly-sql.ts) stay equal to the hourly aggregates
 * of the observations themselves through every kind of write: deep insert, POST, data arrays,
 * a PATCH of a result and of a time into another hour, a DELETE, a quality flag, a datastream's
 * deletion, and an operator's COPY-like bulk INSERT.
 */
let t: TestApp;
let editor: Record<string, string>;
let thing: number;
let ds: number;

const call = async (method: string, url: string, payload?: unknown) => {
  const r = await t.app.inject({ method: method as 'GET', url, headers: editor, ...(payload !== undefined ? { payload: payload as object } : {}) });
  expect(r.statusCode, `${method} ${url}: ${r.body}`).toBeLessThan(300);
  return r.body ? r.json() : undefined;
};

type Hour = { ds: string; hour: string; n: string; total: number; neg_n: string; neg_total: number };

/** The rollups, and what they must be: the same aggregates over the stored observations. */
async function rollupsAndTruth(): Promise<{ rollups: Hour[]; truth: Hour[] }> {
  const q = (sql: string) =>
    t.db.pool.query<Hour>(sql).then((r) => r.rows.map((h) => ({ ...h, total: +h.total.toFixed(9), neg_total: +h.neg_total.toFixed(9) })));
  return {
    rollups: await q(
      `select datastream_id::text as ds, hour::text as hour, n::text as n, total, neg_n::text as neg_n, neg_total from sta_hourly order by 1, 2`,
    ),
    truth: await q(`select datastream_id::text ds, date_trunc('hour', phenomenon_time_start, 'UTC')::text as hour, count(*)::text n, sum(result_number) total,
                           count(*) filter (where result_number < 0)::text neg_n, coalesce(sum(result_number) filter (where result_number < 0), 0) neg_total
                      from sta_observation where result_number is not null group by 1, 2 order by 1, 2`),
  };
}

async function expectConsistent(hours: number) {
  const { rollups, truth } = await rollupsAndTruth();
  expect(rollups).toEqual(truth);
  expect(rollups.length).toBe(hours);
}

beforeAll(async () => {
  t = await createTestApp();
  const org = (await createOrganization(t.db.db, systemPrincipal(), SYSTEM_ACTOR, { name: 'Quan trắc', slug: 'quan-trac-gio', kind: 'department' })).id;
  const u = await t.userWithToken({ email: 'quan-trac-gio@example.gov.vn' });
  await setMember(t.db.db, systemPrincipal(), SYSTEM_ACTOR, org, u.id, 'editor');
  editor = u.auth;
  const made = await call(
    'POST',
    '/v1.1/Things',
    stationThing('Tháp Chàm', {
      datastreams: [
        pm25Stream('Tháp Chàm', [
          { phenomenonTime: '2026-11-14T01:10:00Z', result: 30 },
          { phenomenonTime: '2026-11-14T01:40:00Z', result: 40 },
        ]),
      ],
    }),
  );
  thing = made['@iot.id'];
  ds = (await call('GET', `/v1.1/Things(${thing})/Datastreams`)).value[0]['@iot.id'];
}, 60_000);
afterAll(async () => t?.close());

it('adds what deep inserts, POSTs and data arrays write, negative values counted apart', async () => {
  await expectConsistent(1);
  await call('POST', `/v1.1/Datastreams(${ds})/Observations`, { phenomenonTime: '2026-11-14T02:05:00Z', result: 50 });
  const arr = await call('POST', '/v1.1/CreateObservations', [
    {
      Datastream: { '@iot.id': ds },
      components: ['phenomenonTime', 'result'],
      dataArray: [
        ['2026-11-14T02:30:00Z', -3],
        ['2026-11-14T02:45:00Z', 'không phải số'],
        ['2026-11-14T03:00:00Z', 20],
      ],
    },
  ]);
  expect(arr.every((x: string) => !x.startsWith('error'))).toBe(true);
  await expectConsistent(3);
  const h2 = (await t.db.pool.query(`select n, total, neg_n, neg_total from sta_hourly where datastream_id = $1 and hour = '2026-11-14T02:00:00Z'`, [ds]))
    .rows[0];
  // The text result is stored but has no number: it is not in the hour's mean.
  expect(h2).toMatchObject({ n: 2, total: 47, neg_n: 1, neg_total: -3 });
});

it('moves a changed result or time, leaves a quality flag alone, and takes a deleted one out', async () => {
  const obs = (await call('GET', `/v1.1/Datastreams(${ds})/Observations?$orderby=phenomenonTime&$select=id,phenomenonTime`)).value as {
    '@iot.id': number;
  }[];
  await call('PATCH', `/v1.1/Observations(${obs[0]!['@iot.id']})`, { result: 35 });
  await call('PATCH', `/v1.1/Observations(${obs[1]!['@iot.id']})`, { phenomenonTime: '2026-11-14T05:15:00Z' });
  await call('PATCH', `/v1.1/Observations(${obs[2]!['@iot.id']})`, { resultQuality: { flag: 'suspect' } });
  await expectConsistent(4);
  await call('DELETE', `/v1.1/Observations(${obs[1]!['@iot.id']})`);
  await expectConsistent(3);
  // An hour whose only value goes is no longer listed.
  expect((await t.db.pool.query(`select 1 from sta_hourly where hour = '2026-11-14T05:00:00Z'`)).rowCount).toBe(0);
});

it('follows a bulk INSERT an operator runs, and the daily index reads the hours', async () => {
  const foi = (await t.db.pool.query<{ id: string }>('select feature_id id from sta_observation limit 1')).rows[0]!.id;
  // Two days of a reading a minute, written straight into the table (as an operator's COPY or INSERT would).
  await t.db.pool.query(
    `insert into sta_observation (datastream_id, feature_id, phenomenon_time_start, result, result_number)
       select $1, $2, timestamptz '2026-11-20T00:00:00Z' + g * interval '1 minute', to_jsonb(20 + g % 11), 20 + g % 11
         from generate_series(0, 2 * 1440 - 1) g`,
    [ds, foi],
  );
  await expectConsistent(3 + 48);
  const since = new Date('2026-11-19T17:00:00Z');
  const until = new Date('2026-11-21T17:00:00Z');
  const days = await stationDailyAqi(t.db.db, thing, since, until);
  // The same days from the observations' own hourly means (the query the rollups replace).
  const raw = await t.db.pool.query<{ h: Date; v: number }>(
    `select date_trunc('hour', phenomenon_time_start) + interval '1 hour' h, avg(result_number) v from sta_observation
      where datastream_id = $1 and phenomenon_time_start >= $2 and phenomenon_time_start < $3 and result_number >= 0 group by 1`,
    [ds, since, until],
  );
  const expected = dailyAqi(raw.rows.map((r) => ({ at: new Date(r.h).getTime(), offsetMinutes: 420, pm25: Number(r.v) })));
  expect(days.map((d) => d.date)).toEqual(['2026-11-20', '2026-11-21']);
  expect(days).toEqual(expected);
});

it('goes with its datastream', async () => {
  await call('DELETE', `/v1.1/Datastreams(${ds})`);
  await expectConsistent(0);
});
