import type { Live } from '../live.js';
import { actorOf } from '../../../platform/auth/index.js';
import { badRequest, notFound, SECURED, type App } from '../../../platform/http/index.js';
import type { ModuleContext } from '../../../platform/module.js';
import type { Partitions } from '../sta/partitions.js';
import { importWaterResults } from '../water/import.js';
import { LabFileError, labRows } from '../water/lab-file.js';
import { waterSamples } from '../water/samples.js';
import { createStation, getStation, updateStation } from './service.js';
import type { StationInput } from './input.js';

const tags = ['sensors'];
/** The largest laboratory file taken in one request. */
export const WATER_FILE_LIMIT = 20 * 1024 * 1024;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const stationId = (s: string) => {
  const id = Number(s);
  if (!Number.isSafeInteger(id) || id < 1) throw notFound('station_not_found', { vi: 'Không có trạm quan trắc này.', en: 'No such monitoring station.' });
  return id;
};

const STATION_BODY = {
  description:
    'Fields: `org` (on creation: the unit that runs it, id or slug), `name`, `code` (unique in the unit), `kind` (air | water), `mode` (automatic | periodic), `operator`, `description`, `longitude`, `latitude` (decimals; "108,99" too), `adminUnit` (an official code, or a name resolved in the unit’s province). Every bad field is named at once.',
};

/** The monitoring network's own API: stations' metadata, and laboratory water results by file. */
export async function stationRoutes(app: App, ctx: ModuleContext, partitions: Partitions, live: Live): Promise<void> {
  const { db } = ctx;

  app.get<{ Params: { id: string } }>(
    '/api/v1/sensors/stations/:id',
    { schema: { tags, summary: 'Thông tin trạm quan trắc / A monitoring station’s metadata' } },
    async (req) => getStation(db, stationId(req.params.id)),
  );

  app.post<{ Body: StationInput }>(
    '/api/v1/sensors/stations',
    { schema: { tags, summary: 'Thêm trạm quan trắc / Add a monitoring station', ...STATION_BODY, security: SECURED } },
    async (req, reply) => {
      const id = await createStation(db, req.principal, actorOf(req), req.body ?? {}, ctx.config.baseUrl, live);
      return reply
        .status(201)
        .header('location', `/api/v1/sensors/stations/${id}`)
        .send(await getStation(db, id));
    },
  );

  app.put<{ Params: { id: string }; Body: StationInput }>(
    '/api/v1/sensors/stations/:id',
    { schema: { tags, summary: 'Sửa thông tin trạm / Change a station’s metadata', ...STATION_BODY, security: SECURED } },
    async (req) => {
      const id = stationId(req.params.id);
      await updateStation(db, req.principal, actorOf(req), id, req.body ?? {}, ctx.config.baseUrl, live);
      return getStation(db, id);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: string } }>(
    '/api/v1/sensors/stations/:id/water-samples',
    { schema: { tags, summary: 'Mẫu nước và VN_WQI của trạm / A water station’s samples with their VN_WQI' } },
    async (req) => {
      const id = stationId(req.params.id);
      const limit = Number(req.query.limit ?? 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw badRequest('bad_limit', { vi: 'limit: số mẫu từ 1 đến 1000', en: 'limit: a number of samples from 1 to 1000' }, 'limit');
      // Only a water station has samples; an air station's millions of readings are not grouped for nothing.
      if ((await getStation(db, id)).kind !== 'water') return { results: [] };
      return {
        results: (await waterSamples(db, [id], { limit })).map((s) => ({
          time: s.at.toISOString(),
          values: s.values,
          wqi: s.result?.wqi ?? null,
          parameters: s.result?.parameters ?? {},
          groups: s.result?.groups ?? {},
          note: s.note,
        })),
      };
    },
  );

  // A laboratory results file (CSV or XLSX) as the request body.
  await app.register(async (scoped) => {
    scoped.addContentTypeParser(
      ['text/csv', 'text/plain', XLSX, 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: WATER_FILE_LIMIT },
      (_req, body, done) => done(null, body),
    );
    scoped.post<{ Querystring: { org?: string; units?: string; create_stations?: string; filename?: string } }>(
      '/api/v1/sensors/water/results',
      {
        bodyLimit: WATER_FILE_LIMIT,
        schema: {
          tags,
          summary: 'Nhập kết quả phân tích mẫu nước (CSV, XLSX) / Import laboratory water results (CSV, XLSX)',
          description:
            'The file as the body (`text/csv` or the XLSX type). `org`: the unit whose stations these are; `units=As:mg/L,Cd:mg/L` overrides a column’s unit; `create_stations=true` adds stations the unit lacks (code, name and coordinates from the file). Taken whole or refused whole; answers each sample’s VN_WQI.',
          security: SECURED,
        },
      },
      async (req) => {
        if (!Buffer.isBuffer(req.body) || !req.body.length)
          throw badRequest('bad_file', { vi: 'Gửi tệp CSV hoặc XLSX làm nội dung.', en: 'Send the CSV or XLSX file as the body.' }, 'file');
        const isXlsx = req.headers['content-type']?.startsWith(XLSX) ?? false;
        const rows = await readRows(req.body, isXlsx ? 'results.xlsx' : (req.query.filename ?? 'results.csv'));
        return importWaterResults(db, partitions, req.principal, actorOf(req), {
          org: req.query.org ?? '',
          rows,
          units: req.query.units,
          createStations: req.query.create_stations === 'true',
          base: ctx.config.baseUrl,
          live,
        });
      },
    );
  });
}

/** The file's rows, or a 400 saying why there are none. */
export async function readRows(buf: Buffer, filename: string): Promise<string[][]> {
  try {
    return await labRows(buf, filename);
  } catch (e) {
    if (!(e instanceof LabFileError)) throw e;
    throw badRequest('bad_file', { vi: `Tệp không đọc được: ${e.message}`, en: `The file cannot be read: ${e.message}` }, 'file');
  }
}
