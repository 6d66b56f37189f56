// Reading tabular files (CSV and XLSX) with bounded work, shared by previews and the datastore's ingest.
export { readCsvHead, detectEncoding, detectDelimiter, type CsvHead, type TextEncoding } from './csv.js';
export { readXlsxHead, excelDate, excelSerialDate } from './xlsx.js';
export { PREVIEW_LIMITS, TabularLimitError, type ReadLimits } from './limits.js';
export { readHead } from './head.js';
export { sniffDelimiter } from './sniff.js';
