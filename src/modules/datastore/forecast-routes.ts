import { Type, type App } from '../../platform/http/index.js';
import type { ModuleContext } from '../../platform/module.js';
import { forecastColumn, type ColumnForecastInput } from './forecast.js';

/** Forecasts of a table's column on demand (the analytics module's models, over the rows the reader may see). */
export function forecastRoutes(app: App, ctx: ModuleContext): void {
  app.get<{ Params: { rid: string }; Querystring: ColumnForecastInput }>(
    '/api/v1/datastore/:rid/forecast',
    {
      schema: {
        tags: ['datastore'],
        summary: 'Dự báo một cột số theo cột thời gian / Forecast a numeric column against the time column',
        description:
          'The table’s `value` field against its date or time field `time`, at the regular step of its rows (one row per time, or `agg=sum|avg` per time): the model chosen by rolling-origin evaluation, its evaluation, the last values and `horizon` steps ahead with 80 % and 95 % intervals.',
        params: Type.Object({ rid: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object(
          {
            time: Type.String({ minLength: 1, maxLength: 63 }),
            value: Type.String({ minLength: 1, maxLength: 63 }),
            horizon: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            season: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000 })),
            agg: Type.Optional(Type.Union([Type.Literal('sum'), Type.Literal('avg')])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => forecastColumn(ctx.db, req.principal, req.params.rid, req.query),
  );
}
