import type { FastifyBaseLogger } from 'fastify';
import { Readable } from 'node:stream';
import type { Db } from '../../platform/db/index.js';
import type { SelfAddress } from '../../platform/http/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { EdxmlError } from './edxml/errors.js';
import { ALERT_JOB } from './jobs.js';
import { receivePackage, type Receipt } from './receive.js';
import { deliveryRepo, documentRepo, eventRepo, orgRepo, recipientRepo } from './repository.js';
import { listRoutes, routeFor, senderSettings } from './routing.js';
import type { DocsDeps } from './send.js';
import type { DeliveryRow } from './tables.js';
import { queueWebhooks } from './webhooks.js';

export interface DeliveryPolicy {
  /** The first retry's mean wait; each further one doubles, up to an hour (full jitter). */
  retryBaseMs: number;
  /** After this many attempts a delivery is dead: the sender's clerks are alerted, a clerk may retry it. */
  maxAttempts: number;
  /**
   * How long a claimed row stays taken without a sign of life: the worker renews the lease while it
   * sends, so a long send keeps its row and a killed worker's rows come back this soon.
   */
  leaseMs: number;
  /** The longest one attempt may take (a 1 GiB package over a slow link). */
  sendTimeoutMs: number;
}

/** The policy, from TINHSO_DOCUMENTS_RETRY_BASE_MS and TINHSO_DOCUMENTS_MAX_ATTEMPTS when set (read when an app is built). */
export const policyFromEnv = (env: NodeJS.ProcessEnv = process.env): DeliveryPolicy => ({
  retryBaseMs: Number(env.TINHSO_DOCUMENTS_RETRY_BASE_MS) || 30_000,
  maxAttempts: Number(env.TINHSO_DOCUMENTS_MAX_ATTEMPTS) || 12,
  leaseMs: 15_000,
  sendTimeoutMs: 15 * 60_000,
});

const MAX_BACKOFF_MS = 60 * 60 * 1000;
const BATCH = 8;

/** Exponential backoff with full jitter (a random wait up to base·2^(n−1), at most an hour). */
export const backoffMs = (attempt: number, base: number, random = Math.random): number =>
  Math.round(random() * Math.min(MAX_BACKOFF_MS, base * 2 ** Math.max(0, attempt - 1)));

type Outcome = { ok: true; receipt: Receipt | Record<string, unknown> } | { ok: false; refused: boolean; error: string };

/**
 * The outbox worker: takes due deliveries (leased, so several instances share the work and a
 * killed one's rows come back), sends each — to an agency of this instance in-process, to any
 * other through the exchange gateway and its federation — and settles it: delivered with the
 * receiver's receipt, refused (status 02, not retried), retried later, or dead after the last
 * attempt. Every package is sent with its delivery id as X-Road-Id, which the receiver keeps, so a
 * resend after a lost answer is recognised as the same message (exactly-once in effect).
 */
export class Deliverer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly deps: DocsDeps & { self: SelfAddress; log: FastifyBaseLogger },
    private readonly policy: DeliveryPolicy = policyFromEnv(),
  ) {}

  start(): void {
    this.stopped = false;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a pass now (or right after the one running). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.pass()
      .catch((e: unknown) => this.deps.log.warn({ err: e }, 'documents delivery pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else void this.schedule();
      });
  }

  private async schedule(): Promise<void> {
    const due = await deliveryRepo.nextDue(this.deps.db).catch(() => null);
    if (this.stopped || this.running) return;
    const wait = due ? Math.max(50, Math.min(5_000, due.getTime() - Date.now())) : 5_000;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    for (;;) {
      const rows = await deliveryRepo.claim(this.deps.db, BATCH, this.policy.leaseMs);
      if (!rows.length) return;
      await Promise.all(rows.map((d) => this.one(d)));
      if (this.stopped) return;
    }
  }

  private async one(d: DeliveryRow): Promise<void> {
    let out: Outcome;
    try {
      out = await this.send(d);
    } catch (e) {
      out =
        e instanceof EdxmlError ? { ok: false, refused: true, error: `${e.element}: ${e.reason}` } : { ok: false, refused: false, error: (e as Error).message };
    }
    await settle(this.deps.db, this.deps.jobs, d, out, this.policy);
  }

  private async send(d: DeliveryRow): Promise<Outcome> {
    const db = this.deps.db;
    if (await orgRepo.byOrganCode(db, d.to_organ)) {
      const receipt = await receivePackage(this.deps, { toOrgan: d.to_organ, messageId: d.id, via: 'local', source: this.deps.files.open(d.package_key) });
      return { ok: true, receipt };
    }
    const route = routeFor(await listRoutes(db), d.to_organ);
    if (!route) return { ok: false, refused: false, error: `no route to ${d.to_organ}` };
    const sender = await senderSettings(db, this.deps.box);
    if (!sender) return { ok: false, refused: false, error: 'no exchange client set for sending (PUT /api/v1/documents/settings)' };
    const base = await this.deps.self.ready();
    const res = await fetch(`${base}/r1/${route.service}/packages/${encodeURIComponent(d.to_organ)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', 'x-road-client': sender.client, 'x-road-id': d.id, authorization: `Bearer ${sender.token}` },
      body: Readable.toWeb(this.deps.files.open(d.package_key)) as ReadableStream,
      duplex: 'half',
      signal: AbortSignal.timeout(this.policy.sendTimeoutMs),
    } as RequestInit);
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { text: text.slice(0, 500) };
    }
    if (res.ok) return { ok: true, receipt: body };
    if (res.status === 400 && body.status === '02') return { ok: false, refused: true, error: `${String(body.element)}: ${String(body.reason)}` };
    const xr = res.headers.get('x-road-error');
    return { ok: false, refused: false, error: `${res.status}${xr ? ` ${xr}` : ''}: ${String(body.message ?? body.text ?? '')}`.slice(0, 1000) };
  }
}

/** Records an attempt's outcome on the delivery, the recipient and the document's timeline, in one transaction. */
async function settle(db: Db, jobs: JobQueue, d: DeliveryRow, out: Outcome, policy: DeliveryPolicy): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const event = (kind: string, description: string, code: string | null = null) =>
      d.document ? eventRepo.add(trx, [{ document: d.document, organ_id: d.to_organ, kind, code, description, actor: 'outbox' }]) : Promise.resolve();
    const ofDocument = d.kind === 'document' && d.document;
    const state = await deliveryRepo.lockState(trx, d.id);
    if (state === 'cancelled' && out.ok && ofDocument) return arrivedAfterRecall(trx, d, out.receipt);
    if (state !== 'pending') {
      // Settled meanwhile (a recall cancelled it, or a worker whose lease ran out was overtaken): the attempt changes nothing.
      if (!out.ok) await deliveryRepo.settle(trx, d.id, { last_error: out.error });
      return;
    }
    if (out.ok) {
      await deliveryRepo.settle(trx, d.id, { state: 'delivered', delivered_at: new Date(), last_error: null, receipt: out.receipt as Record<string, unknown> });
      if (ofDocument) await recipientRepo.set(trx, d.document!, d.to_organ, { delivery: 'delivered' });
      await event(`${d.kind}-delivered`, (out.receipt as { status?: string }).status === 'duplicate' ? 'duplicate' : '');
      return;
    }
    if (out.refused) {
      await deliveryRepo.settle(trx, d.id, { state: 'refused', last_error: out.error });
      if (ofDocument)
        await recipientRepo.set(trx, d.document!, d.to_organ, { delivery: 'refused', status: '02', status_description: out.error, status_at: new Date() });
      await event(`${d.kind}-refused`, out.error, '02');
      if (d.document && d.kind !== 'status') await queueWebhooks(trx, jobs, d.org_id, 'delivery.refused', d.document);
      return;
    }
    if (d.attempts >= policy.maxAttempts) {
      await deliveryRepo.settle(trx, d.id, { state: 'dead', last_error: out.error });
      if (ofDocument) await recipientRepo.set(trx, d.document!, d.to_organ, { delivery: 'dead' });
      await event(`${d.kind}-dead`, out.error);
      await jobs.enqueue(trx, ALERT_JOB, { delivery: d.id }, null);
      if (d.document) await queueWebhooks(trx, jobs, d.org_id, 'delivery.dead', d.document);
      return;
    }
    await deliveryRepo.settle(trx, d.id, { last_error: out.error, next_at: new Date(Date.now() + backoffMs(d.attempts, policy.retryBaseMs)) });
  });
}

/**
 * A recall cancelled this delivery while its send was under way, and the package arrived all the
 * same: the recipient has the document, so it is recorded as delivered and the recall (the
 * document's latest action package) goes to it too, as to every recipient the recall found reached.
 */
async function arrivedAfterRecall(trx: Db, d: DeliveryRow, receipt: Receipt | Record<string, unknown>): Promise<void> {
  const document = d.document!;
  await deliveryRepo.settle(trx, d.id, { state: 'delivered', delivered_at: new Date(), last_error: null, receipt: receipt as Record<string, unknown> });
  await recipientRepo.set(trx, document, d.to_organ, { delivery: 'delivered', recalled: false });
  await eventRepo.add(trx, [{ document, organ_id: d.to_organ, kind: 'document-delivered', code: null, description: 'after the recall', actor: 'outbox' }]);
  const doc = await documentRepo.find(trx, document);
  if (!doc?.action_package || (!doc.pending_action && !doc.recalled)) return;
  const kind = doc.pending_action === '2' ? ('update' as const) : ('recall' as const);
  await deliveryRepo.insert(trx, [{ org_id: d.org_id, document, kind, to_organ: d.to_organ, package_key: doc.action_package }]);
}
