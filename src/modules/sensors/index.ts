import type { AppModule } from '../../platform/module.js';
import { migrations } from './migrations.js';
import { Partitions } from './sta/partitions.js';
import { serviceRoot } from './sta/read.js';
import { staRoutes } from './sta/routes.js';
import { Live } from './live.js';
import { AirFeed } from './air/live-feed.js';
import { airRoutes } from './air/routes.js';
import { openaqRoutes } from './air/openaq-routes.js';
import { stationRoutes } from './stations/routes.js';
import { sensorPages } from './web/pages.js';
import { SENSORS_MESSAGES } from './web/messages.js';
import { startBroker, type Broker } from './mqtt/broker.js';
import { MqttIngest } from './mqtt/ingest.js';
import { seenRepo } from './mqtt/seen.js';
import { defineJob } from '../../platform/jobs/index.js';
import { runQc } from './qc/run.js';
import { refreshForecasts } from './forecast/station.js';

/** Forgets the keys of MQTT messages taken in long enough ago that no client still resends them. */
export const SEEN_PRUNE_JOB = defineJob('sensors.mqtt-seen-prune');
/** The streaming quality check of the observations that arrived since the last run. */
export const QC_JOB = defineJob('sensors.qc');
/** The stations' 48-hour forecasts, remade when their data has moved on. */
export const FORECAST_JOB = defineJob('sensors.forecast');

export { AQI_POLLUTANTS, BREAKPOINTS, combine, hourlyAqi, subIndex, type AqiResult, type Concentrations, type Pollutant } from './indices/aqi.js';
export { AQI_CATEGORIES, WQI_CATEGORIES, aqiCategory, hex, wqiCategory, type Category } from './indices/categories.js';
export { dailyAqi, dayOf, parseOffsetTime, type DailyAqi, type HourRow } from './indices/daily.js';
export { nowcast } from './indices/nowcast.js';
export { roundHalfUp } from './indices/round.js';
export { computeWqi, doSaturation, parameterIndex, WQI_GROUPS, WQI_KEYS, WqiDataError, type WqiResult } from './indices/wqi.js';
export { HoursCsvError, readHoursCsv } from './indices/hours-csv.js';
export { stationDaily as stationDailyAqi } from './air/station-aqi.js';
export { stationsReporting } from './counts.js';
export { currentAqi, type StationAqi } from './air/station-aqi.js';
export { stationFeatures, stationList, type Station, type StationFeature } from './air/stations.js';
export { runQc } from './qc/run.js';
export { labRows, readLabFile, LabFileError, type LabFile, type LabSample } from './water/lab-file.js';
export { waterSamples, type WaterSample } from './water/samples.js';
export { getStation, type StationMeta } from './stations/service.js';
export { ENVIRONMENT_SECTIONS, STATION_SECTIONS } from './web/slots.js';
export { stationRecent, streamFaults, type RecentHour, type StreamFault } from './air/recent.js';
export {
  refreshForecasts,
  stationForecasts,
  forecastPeaks,
  FORECAST_HOURS,
  type ForecastPoint,
  type ForecastTarget,
  type StationForecast,
} from './forecast/station.js';

/**
 * Environmental monitoring: the OGC SensorThings API v1.1 at /v1.1 over the stations' Things,
 * Datastreams and Observations (partitioned by month), its MQTT extension on an embedded broker
 * (publish to create, subscribe to follow), and Vietnam's air and water quality indices.
 */
export function sensorsModule(): AppModule {
  const partitions = new Partitions();
  const live = new Live();
  let broker: Broker | undefined;
  let feed: AirFeed | undefined;
  return {
    name: 'sensors',
    migrations,
    messages: SENSORS_MESSAGES,
    nav: [
      {
        place: 'main',
        order: 30,
        path: '/environment',
        title: { vi: 'Môi trường', en: 'Environment' },
        summary: {
          vi: 'Chất lượng không khí theo VN_AQI tại các trạm quan trắc, cập nhật trực tiếp; dữ liệu mở qua SensorThings API và MQTT.',
          en: 'Air quality as VN_AQI at the monitoring stations, updated live; open data through the SensorThings API and MQTT.',
        },
      },
    ],
    defineJobs(ctx) {
      ctx.jobs.define(SEEN_PRUNE_JOB, async () => ({ pruned: await seenRepo.prune(ctx.db) }));
      ctx.jobs.every(SEEN_PRUNE_JOB, '41 * * * *');
      ctx.jobs.define(QC_JOB, async () => runQc(ctx.db));
      ctx.jobs.every(QC_JOB, '* * * * *');
      ctx.jobs.define(FORECAST_JOB, async () => refreshForecasts(ctx.db));
      ctx.jobs.every(FORECAST_JOB, '*/10 * * * *');
    },
    routes: async (app, ctx) => {
      feed = new AirFeed(ctx.db, ctx.log);
      await staRoutes(app, ctx, partitions, live);
      await airRoutes(app, ctx, feed, partitions);
      await openaqRoutes(app, ctx);
      await stationRoutes(app, ctx, partitions, live);
    },
    pages: (web, ctx) => sensorPages(web, ctx, partitions, live),
    async start(ctx) {
      feed?.start(live);
      if (ctx.config.mqttPort === null) return;
      const ingest = new MqttIngest(ctx.db, partitions, live);
      broker = await startBroker({
        port: ctx.config.mqttPort,
        db: ctx.db,
        log: ctx.log,
        metrics: ctx.metrics,
        ingest,
        live,
        base: () => serviceRoot(ctx.config.baseUrl),
      });
    },
    async stop() {
      feed?.stop();
      await broker?.close();
      broker = undefined;
    },
  };
}
