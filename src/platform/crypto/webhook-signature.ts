import { createHmac } from 'node:crypto';

/**
 * The signature of a webhook call, `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`: the receiver
 * recomputes it with its secret and checks the time. One scheme for every module that calls webhooks.
 */
export const webhookSignature = (secret: string, body: string, t: number): string =>
  `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
