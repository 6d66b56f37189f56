import { badRequest, notFound, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import { latest, locations, measurements, parameters, type Aggregation, type Page } from './openaq.js';

const tags = ['air (OpenAQ v3)'];
const DAY = 86_400_000;

type Query = Record<string, string | undefined>;

function page(q: Query): Page {
  const limit = Number(q.limit ?? 100);
  const p = Number(q.page ?? 1);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw badRequest('bad_limit', { vi: 'limit: từ 1 đến 1000', en: 'limit: from 1 to 1000' }, 'limit');
  if (!Number.isInteger(p) || p < 1 || p > 100_000) throw badRequest('bad_page', { vi: 'page: số trang từ 1', en: 'page: a page number from 1' }, 'page');
  return { limit, page: p };
}

function time(q: Query, key: 'datetime_from' | 'datetime_to', fallback: Date): Date {
  const v = q[key];
  if (v === undefined || v === '') return fallback;
  const d = /^\d{4}-\d{2}-\d{2}/.test(v) ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime()))
    throw badRequest(
      'bad_datetime',
      { vi: `${key}: không phải thời điểm ISO 8601 (2026-11-14T00:00:00+07:00)`, en: `${key}: not an ISO 8601 time (2026-11-14T00:00:00+07:00)` },
      key,
    );
  return d;
}

function id(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw notFound('openaq_not_found', { vi: `Không có ${what} này.`, en: `No such ${what}.` });
  return n;
}

const csvOf = (
  rows: {
    value: number | null;
    period: { datetimeFrom: { utc: string } | null; datetimeTo: { utc: string } | null };
    summary?: { min: number; max: number };
    coverage?: { observedCount: number };
  }[],
) =>
  `${[
    'datetime_from,datetime_to,value,min,max,count',
    ...rows.map((r) =>
      [
        r.period.datetimeFrom?.utc ?? '',
        r.period.datetimeTo?.utc ?? '',
        r.value ?? '',
        r.summary?.min ?? '',
        r.summary?.max ?? '',
        r.coverage?.observedCount ?? '',
      ].join(','),
    ),
  ].join('\r\n')}\r\n`;

/**
 * The OpenAQ v3-shaped API under /api/v1/air: locations (stations), their latest values,
 * parameters, and a sensor's measurements raw, hourly or daily (JSON, or CSV with `format=csv`).
 * Public, as the SensorThings reads.
 */
export async function openaqRoutes(app: App, ctx: ModuleContext): Promise<void> {
  const { db } = ctx;

  app.get<{ Querystring: Query }>('/api/v1/air/locations', { schema: { tags, summary: 'Trạm (kiểu OpenAQ) / Locations (OpenAQ v3 shape)' } }, async (req) =>
    locations(db, page(req.query)),
  );

  app.get<{ Params: { id: string } }>('/api/v1/air/locations/:id', { schema: { tags, summary: 'Một trạm / One location' } }, async (req) => {
    const out = await locations(db, { limit: 1, page: 1 }, [id(req.params.id, 'location')]);
    if (!out.results.length) throw notFound('openaq_not_found', { vi: 'Không có trạm này.', en: 'No such location.' });
    return out;
  });

  app.get<{ Params: { id: string } }>(
    '/api/v1/air/locations/:id/latest',
    { schema: { tags, summary: 'Giá trị mới nhất của trạm / A location’s latest values' } },
    async (req) => {
      const loc = id(req.params.id, 'location');
      if (!(await locations(db, { limit: 1, page: 1 }, [loc])).results.length)
        throw notFound('openaq_not_found', { vi: 'Không có trạm này.', en: 'No such location.' });
      return latest(db, loc);
    },
  );

  app.get('/api/v1/air/parameters', { schema: { tags, summary: 'Thông số / Parameters' } }, async () => parameters(db));

  for (const [path, agg] of [
    ['measurements', 'raw'],
    ['hours', 'hours'],
    ['days', 'days'],
  ] as const satisfies readonly (readonly [string, Aggregation])[]) {
    app.get<{ Params: { id: string }; Querystring: Query }>(
      `/api/v1/air/sensors/:id/${path}`,
      {
        schema: {
          tags,
          summary: `${agg === 'raw' ? 'Kết quả đo / Measurements' : agg === 'hours' ? 'Trung bình giờ / Hourly means' : 'Trung bình ngày / Daily means'} (datetime_from, datetime_to, limit, page, format=csv)`,
        },
      },
      async (req, reply) => {
        const to = time(req.query, 'datetime_to', new Date());
        const from = time(req.query, 'datetime_from', new Date(to.getTime() - 30 * DAY));
        if (from >= to)
          throw badRequest('bad_datetime', { vi: 'datetime_from phải trước datetime_to', en: 'datetime_from must be before datetime_to' }, 'datetime_from');
        const format = req.query.format ?? 'json';
        if (format !== 'json' && format !== 'csv') throw badRequest('bad_format', { vi: 'format: json hoặc csv', en: 'format: json or csv' }, 'format');
        const out = await measurements(db, id(req.params.id, 'sensor'), agg, from, to, page(req.query));
        if (!out) throw notFound('openaq_not_found', { vi: 'Không có cảm biến (luồng dữ liệu) này.', en: 'No such sensor (datastream).' });
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(csvOf(out.results));
        return out;
      },
    );
  }
}
