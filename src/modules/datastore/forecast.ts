import type { Principal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { badRequest } from '../../platform/http/index.js';
import { candidatePeriods, forecast, formatTime, parseTime, regularize, SeriesError, timeAt, type RawPoint, type TimeStyle } from '../analytics/index.js';
import { readableTable } from './service.js';

/** At most this many rows (or times) are forecast from; a longer table needs `agg` or a narrower column. */
export const FORECAST_MAX_ROWS = 100_000;

export interface ColumnForecastInput {
  time?: string;
  value?: string;
  horizon?: number;
  season?: number;
  agg?: 'sum' | 'avg';
}

/** Vietnam's offset, for times stored with a zone: the forecast's times are written in it. */
const VN: TimeStyle = { dateOnly: false, sep: 'T', seconds: true, fraction: 0, offset: '+07:00', offsetMinutes: 420 };
const DATE: TimeStyle = { dateOnly: true, sep: 'T', seconds: false, fraction: 0, offset: '', offsetMinutes: 0 };
const WALL: TimeStyle = { dateOnly: false, sep: 'T', seconds: true, fraction: 0, offset: '', offsetMinutes: 0 };

/**
 * A forecast of a numeric column of a datastore table against its date or time column, over the
 * rows the reader may see: the analytics module's model choice and intervals (80 % and 95 %). Times
 * that are not at one regular step, or repeated without `agg`, are a 400 naming the row (`_id`).
 */
export async function forecastColumn(db: Db, p: Principal, tableKey: string, input: ColumnForecastInput) {
  const { table, queries } = await readableTable(db, p, tableKey);
  const timeField = input.time ? queries.fields.find((f) => f.id === input.time) : undefined;
  const valueField = input.value ? queries.fields.find((f) => f.id === input.value) : undefined;
  if (!timeField || !['date', 'timestamp', 'timestamptz'].includes(timeField.pgType))
    throw badRequest(
      'bad_time_field',
      { vi: 'time: chọn một trường ngày hoặc thời gian của bảng.', en: 'time: name a date or time field of the table.' },
      'time',
    );
  if (!valueField || !['numeric', 'bigint', 'float8'].includes(valueField.pgType))
    throw badRequest('bad_value_field', { vi: 'value: chọn một trường số của bảng.', en: 'value: name a numeric field of the table.' }, 'value');
  const horizon = input.horizon ?? 12;
  const rows = await queries.series(db, timeField.id, valueField.id, input.agg ?? null, FORECAST_MAX_ROWS);
  if (rows.length > FORECAST_MAX_ROWS)
    throw badRequest(
      'too_many_rows',
      {
        vi: `Bảng có hơn ${FORECAST_MAX_ROWS} dòng: gộp theo thời gian (agg=sum hoặc avg).`,
        en: `More than ${FORECAST_MAX_ROWS} rows: group them by time (agg=sum or avg).`,
      },
      'agg',
    );
  const style = timeField.pgType === 'date' ? DATE : timeField.pgType === 'timestamptz' ? VN : WALL;
  const points: RawPoint[] = rows.map((r, i) => {
    // Dates come as 'YYYY-MM-DD', timestamps as Date (a timestamp without zone read as UTC wall time).
    const at = r.t instanceof Date ? r.t.getTime() : parseTime(String(r.t))!.at;
    return { at, value: r.v === null ? null : Number(r.v), row: r.id ?? i + 1 };
  });
  try {
    const series = regularize(valueField.id, points, style);
    const f = forecast(series.values, { horizon, season: input.season, periods: candidatePeriods(series.step), levels: [80, 95] }, valueField.id);
    const last = series.values.length - 1;
    const [i80, i95] = f.intervals;
    // A column that was never negative (counts, concentrations, prices) is not forecast below zero.
    const floor = series.values.every((v) => v === null || v >= 0) ? (x: number) => Math.max(0, x) : (x: number) => x;
    return {
      resource_id: table.resource_id,
      time: timeField.id,
      value: valueField.id,
      agg: input.agg ?? null,
      model: f.model,
      season: f.season,
      ...(f.note ? { note: f.note } : {}),
      evaluation: f.evaluation,
      history: series.values.map((v, i) => ({ time: formatTime(timeAt(series, i), style), value: v })).slice(-Math.max(horizon * 2, 24)),
      forecast: f.mean.map((mean, j) => ({
        time: formatTime(timeAt(series, last + 1 + j), style),
        mean: floor(mean),
        lower80: floor(i80!.lower[j]!),
        upper80: floor(i80!.upper[j]!),
        lower95: floor(i95!.lower[j]!),
        upper95: floor(i95!.upper[j]!),
      })),
    };
  } catch (e) {
    if (e instanceof SeriesError)
      throw badRequest(
        'bad_series',
        { vi: `${e.row ? `Dòng _id ${e.row}: ` : ''}${e.vi}`, en: `${e.row ? `Row _id ${e.row}: ` : ''}${e.en}` },
        e.row ? 'time' : input.season !== undefined ? 'season' : 'value',
      );
    throw e;
  }
}
