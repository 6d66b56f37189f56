/**
 * Time-series analytics: forecasts with prediction intervals chosen by rolling-origin evaluation,
 * and anomaly and faulty-sensor detection, for any regular series (a station's observations, a
 * datastore column with a time). Pure code with no tables and no HTTP of its own: the sensors module
 * (station forecasts, QC flags, warnings) and the datastore (forecasts of a column) call it.
 */
export { forecast, type Forecast, type ForecastOptions, type Interval } from './forecast/forecast.js';
export { MODEL_NAMES, type ModelName } from './forecast/models/model.js';
export { detectSeries } from './anomalies/detect.js';
export { StreamDetector, newState as newDetectorState, type DetectorOptions, type DetectorState, type Verdict } from './anomalies/stream.js';
export { ANOMALY_KINDS, KIND_LABELS, type AnomalyKind, type Flag } from './anomalies/kinds.js';
export { PHYSICAL_RANGES } from './anomalies/ranges.js';
export { readSeriesCsv, type NamedSeries } from './series/csv.js';
export { candidatePeriods, regularize, SeriesError, timeAt, type RawPoint, type RegularSeries, type Step } from './series/regular.js';
export { formatTime, parseTime, type TimeStyle } from './series/time.js';
