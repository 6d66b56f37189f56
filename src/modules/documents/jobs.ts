import { defineJob } from '../../platform/jobs/index.js';

/** Mails the sending organization's clerks that a delivery is dead (from a job, so a refused mail is retried). */
export const ALERT_JOB = defineJob<{ delivery: string }>('documents.alert');
