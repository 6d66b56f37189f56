import { defineJob } from '../../platform/jobs/index.js';
import type { WebhookEvent } from './webhooks.js';

/** Mails the sending organization's clerks that a delivery is dead (from a job, so a refused mail is retried). */
export const ALERT_JOB = defineJob<{ delivery: string }>('documents.alert');
/** POSTs one event to one webhook of an agency system (retried with backoff when refused or unanswered). */
export const WEBHOOK_JOB = defineJob<{ webhook: string; event: WebhookEvent; document: string; event_id: string; at: string }>('documents.webhook');
