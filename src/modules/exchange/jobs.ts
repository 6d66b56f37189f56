import { defineJob } from '../../platform/jobs/index.js';

/** Verifies the whole message log in the background (`POST /api/v1/exchange/log/verify`). */
export const LOG_VERIFY_JOB = defineJob('exchange.log-verify');
/** Hourly: bodies past retention, old rate-limit windows. */
export const PRUNE_JOB = defineJob('exchange.prune');
