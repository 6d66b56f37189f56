// The web shell: what every module's pages render in. Pages import it from here only.
export { webShell, type ShellOptions } from './shell.js';
export { viewOf, sendHtml, safeNext, field, allFields, formatDate, localeOf, num, type View } from './view.js';
export { layout, withLang, type PageOptions } from './layout.js';
export { renderError } from './errors.js';
export { checkbox, csrfField, errorSummary, formErrorOf, input, messageFor, select, textarea, type FormError, type Values } from './forms.js';
export { breadcrumb, dataTable, dlRow, flash, pageOf, pager, ROWS, UUID_RE } from './components.js';
export { requireSignedIn } from './guard.js';
export { defineSlot, fill, renderSlot, type HomeWidget, type NavEntry, type Slot, type SlotFill, type Stat, type WebPart, type Shell } from './shell-parts.js';
export { SHELL_MESSAGES, type ShellKey } from './messages.js';
export type { Assets } from './assets.js';
export { chartSvg, forecastChartSvg, type BandPoint, type ChartPoint } from './chart.js';
