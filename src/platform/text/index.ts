export { foldVi, cleanText, cleanMultiline, isEmailAddress, slugify } from './vi.js';
export { parseNumber } from './number.js';
export { parseViDateTime, vnInstant, formatViDateTime } from './date.js';
export { csvCell } from './csv.js';
