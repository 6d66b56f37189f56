import { sql } from 'kysely';
import { badRequest, contentDisposition, notFound, SECURED, serviceUnavailable, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import { actorOf } from '../../../platform/auth/index.js';
import type { Partitions } from '../sta/partitions.js';
import { boundariesGeoJson } from './boundaries.js';
import { importFile } from './import.js';
import type { AirFeed } from './live-feed.js';
import { stationFeatures } from './stations.js';
import { csvCell } from '../../../platform/text/index.js';

const tags = ['sensors'];
/** The largest monitoring file taken in one request (a year of hourly rows is about 1 MB). */
const IMPORT_LIMIT = 20 * 1024 * 1024;

/** The public air quality API the map and station pages use: stations with their AQI, the boundaries, live updates, CSV downloads. */
export async function airRoutes(app: App, ctx: ModuleContext, feed: AirFeed, partitions: Partitions): Promise<void> {
  const { db } = ctx;

  // A monitoring file in a real layout, sent as the request body (text/csv), into a Datastream.
  await app.register(async (scoped) => {
    scoped.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: IMPORT_LIMIT }, (_req, body, done) => done(null, body));
    scoped.post<{ Params: { id: string }; Querystring: { layout?: string } }>(
      '/api/v1/sensors/datastreams/:id/import',
      {
        bodyLimit: IMPORT_LIMIT,
        schema: {
          tags,
          summary: 'Nhập tệp quan trắc (AirNow, IQAir) / Import a monitoring file (AirNow, IQAir)',
          description: 'The CSV as the body (text/csv), `layout=airnow|iqair`; answers what was stored, already there, missing, invalid and unreadable.',
          security: SECURED,
        },
      },
      async (req) => {
        const id = Number(req.params.id);
        if (!Number.isSafeInteger(id)) throw notFound('sta_not_found', { vi: 'Không có luồng dữ liệu này.', en: 'No such datastream.' });
        if (typeof req.body !== 'string')
          throw badRequest('bad_file', { vi: 'Gửi tệp CSV làm nội dung (text/csv).', en: 'Send the CSV file as the body (text/csv).' }, 'file');
        return importFile(db, partitions, req.principal, actorOf(req), id, req.query.layout ?? '', req.body);
      },
    );
  });

  app.get(
    '/api/v1/sensors/stations.geojson',
    { schema: { tags, summary: 'Trạm quan trắc và AQI hiện tại / Stations with their current AQI (GeoJSON)' } },
    async (_req, reply) => reply.type('application/geo+json').send({ type: 'FeatureCollection', features: await stationFeatures(db) }),
  );

  app.get(
    '/api/v1/sensors/boundaries.geojson',
    { schema: { tags, summary: 'Ranh giới tỉnh và huyện / Province and district boundaries (GeoJSON)' } },
    async (_req, reply) => reply.type('application/geo+json').header('cache-control', 'public, max-age=86400').send(boundariesGeoJson()),
  );

  app.get<{ Querystring: { seconds?: string } }>(
    '/api/v1/sensors/live',
    {
      schema: {
        tags,
        summary: 'Cập nhật trực tiếp (SSE) / Live station updates (Server-Sent Events)',
        description:
          '`event: station` with the station Feature whenever its observations change; the stream ends after `seconds` (default 1800, at most 3600) and the browser reconnects.',
      },
    },
    async (req, reply) => {
      const seconds = Number(req.query.seconds ?? 1800);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600)
        throw badRequest('bad_seconds', { vi: 'seconds: số giây từ 0 đến 3600', en: 'seconds: a number of seconds from 0 to 3600' }, 'seconds');
      if (feed.full)
        throw serviceUnavailable('sensors_live_full', {
          vi: 'Quá nhiều kết nối trực tiếp, hãy thử lại sau.',
          en: 'Too many live connections; try again later.',
        });
      reply.hijack();
      feed.attach(reply.raw, seconds);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { days?: string } }>(
    '/api/v1/sensors/datastreams/:id/observations.csv',
    { schema: { tags, summary: 'Tải kết quả quan trắc (CSV) / Download a datastream’s observations (CSV)' } },
    async (req, reply) => {
      const id = Number(req.params.id);
      const days = Number(req.query.days ?? 30);
      if (!Number.isSafeInteger(id)) throw notFound('sta_not_found', { vi: 'Không có luồng dữ liệu này.', en: 'No such datastream.' });
      if (!Number.isInteger(days) || days < 1 || days > 366)
        throw badRequest('bad_days', { vi: 'days: số ngày từ 1 đến 366', en: 'days: a number of days from 1 to 366' }, 'days');
      const ds = (await sql<{ name: string }>`select name from sta_datastream where id = ${id}`.execute(db)).rows[0];
      if (!ds) throw notFound('sta_not_found', { vi: 'Không có luồng dữ liệu này.', en: 'No such datastream.' });
      const rows = (
        await sql<{ t: Date; e: Date | null; r: Date | null; result: unknown; quality: unknown }>`
          select phenomenon_time_start as t, phenomenon_time_end as e, result_time as r, result, result_quality as quality from sta_observation
           where datastream_id = ${id} and phenomenon_time_start >= now() - make_interval(days => ${days}) order by phenomenon_time_start`.execute(db)
      ).rows;
      const lines = [
        'phenomenonTime,phenomenonTimeEnd,resultTime,result,resultQuality,qcKind,qcScore',
        ...rows.map((o) => {
          // The quality check's flag in columns of its own, beside the whole resultQuality.
          const qc = (o.quality as { qc?: { kind?: string; score?: number } } | null)?.qc;
          return [
            o.t.toISOString(),
            o.e?.toISOString() ?? '',
            o.r?.toISOString() ?? '',
            csvCell(o.result),
            csvCell(o.quality),
            qc?.kind ?? '',
            qc?.score ?? '',
          ].join(',');
        }),
      ];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition(`datastream-${id}.csv`))
        .send(`${lines.join('\r\n')}\r\n`);
    },
  );
}
