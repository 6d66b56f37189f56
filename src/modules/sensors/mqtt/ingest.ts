import crypto from 'node:crypto';
import { recordAudit } from '../../../platform/audit/index.js';
import { actorOfPrincipal, invalidToken, principalForToken, type Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { AppError, findNul, nulError } from '../../../platform/http/index.js';
import { loadMemberships } from '../../organizations/index.js';
import type { Live } from '../live.js';
import { insertObservations, type ObservationInput } from '../sta/batch-insert.js';
import { bad } from '../sta/errors.js';
import type { Partitions } from '../sta/partitions.js';
import { observationTime } from '../sta/values.js';
import { GroupCommit } from './group-commit.js';
import { seenRepo } from './seen.js';

/** One published Observation. `messageId` only for QoS 1 and 2 (the ones a client may redeliver). */
export interface Message {
  token: string;
  clientId: string;
  messageId?: number;
  payload: Buffer;
  datastream?: number;
  ip: string | null;
}

/**
 * What became of it: stored (`created`), a redelivery of one stored before (`duplicate`), refused
 * for its content (acknowledged all the same: resending it would not help), or `denied` (the
 * token or the writer is refused, which MQTT 3.1.1 answers by closing the connection).
 */
export type Result =
  { outcome: 'created'; id: number } | { outcome: 'duplicate' } | { outcome: 'refused'; error: AppError } | { outcome: 'denied'; error: AppError };

export const MAX_PAYLOAD = 64 * 1024;

const keyOf = (m: Message) =>
  m.messageId === undefined
    ? undefined
    : `${m.clientId.length}:${m.clientId}/${m.messageId}/${crypto.createHash('sha256').update(m.payload).digest('base64url')}`;

/**
 * Observations published over MQTT, written by group commit: every message that arrives while a
 * commit runs goes into the next one, so a commit carries many and each message is answered
 * (and its PUBACK sent) only once its observation is durable. A redelivered message (same
 * client, packet id and payload within a few hours) is answered without a second row.
 */
export class MqttIngest {
  private readonly group = new GroupCommit<Message, Result>((items) => this.flushOrSplit(items));

  constructor(
    private readonly db: Db,
    private readonly partitions: Partitions,
    private readonly live: Live,
  ) {}

  submit(m: Message): Promise<Result> {
    return this.group.submit(m);
  }

  idle(): Promise<void> {
    return this.group.idle();
  }

  /** One flush; if the batch fails as a whole, each message on its own (so one cannot hold back the others). */
  private async flushOrSplit(items: Message[]): Promise<Result[]> {
    try {
      return await this.flush(items);
    } catch (e) {
      if (items.length === 1) throw e;
      const out: Result[] = [];
      for (const m of items) out.push(await this.flushOrSplit([m]).then((r) => r[0]!));
      return out;
    }
  }

  private async flush(items: Message[]): Promise<Result[]> {
    const out: (Result | undefined)[] = new Array(items.length);
    const principals = new Map<string, Principal | undefined>();
    const bodies: unknown[] = [];
    const times: Date[] = [new Date()];
    for (const [i, m] of items.entries()) {
      if (!principals.has(m.token)) principals.set(m.token, await principalForToken(this.db, m.token, loadMemberships));
      if (!principals.get(m.token)) {
        out[i] = { outcome: 'denied', error: invalidToken() };
        continue;
      }
      try {
        if (m.payload.length > MAX_PAYLOAD) throw bad('payload', `larger than ${MAX_PAYLOAD} bytes`, `lớn hơn ${MAX_PAYLOAD} byte`);
        const body = JSON.parse(m.payload.toString('utf8')) as unknown;
        // As the HTTP layer checks every request body: PostgreSQL refuses U+0000.
        const nul = findNul(body);
        if (nul) throw nulError(nul);
        bodies[i] = body;
        const t = (body as { phenomenonTime?: unknown } | null)?.phenomenonTime;
        if (t !== undefined) times.push(observationTime(t, 'Observation.phenomenonTime').start);
      } catch (e) {
        out[i] = { outcome: 'refused', error: e instanceof AppError ? e : bad('payload', 'is not JSON', 'không phải JSON') };
      }
    }
    await this.partitions.ensure(this.db, times);
    const keys = items.map(keyOf);
    const result = await this.db.transaction().execute(async (trx) => {
      const seen = await seenRepo.which(
        trx,
        keys.filter((k): k is string => !!k),
      );
      const inputs: ObservationInput[] = [];
      const inputOf: number[] = [];
      const inBatch = new Set<string>();
      items.forEach((m, i) => {
        const k = keys[i];
        if (k && (seen.has(k) || inBatch.has(k))) {
          out[i] = { outcome: 'duplicate' };
          return;
        }
        if (k) inBatch.add(k);
        if (out[i]) return;
        inputs.push({ p: principals.get(m.token)!, body: bodies[i], datastream: m.datastream, where: 'Observation' });
        inputOf.push(i);
      });
      const { outcomes, streams } = await insertObservations(trx, inputs);
      const rows: Parameters<Live['announce']>[0] = [];
      const perUser = new Map<Principal, { created: number; refused: number; ip: string | null }>();
      outcomes.forEach((o, j) => {
        const i = inputOf[j]!;
        const tally = perUser.get(inputs[j]!.p) ?? { created: 0, refused: 0, ip: items[i]!.ip };
        perUser.set(inputs[j]!.p, tally);
        if ('row' in o) {
          out[i] = { outcome: 'created', id: o.id };
          rows.push({ set: 'Observations', row: o.row });
          tally.created++;
        } else if (o.error.status === 401 || o.error.status === 403) out[i] = { outcome: 'denied', error: o.error };
        else {
          out[i] = { outcome: 'refused', error: o.error };
          tally.refused++;
        }
      });
      // Remembered: what was stored or refused for its content (a denied message may come back once allowed).
      await seenRepo.add(
        trx,
        keys.filter((k, i): k is string => !!k && (out[i]!.outcome === 'created' || out[i]!.outcome === 'refused')),
      );
      for (const [p, t] of perUser)
        if (t.created)
          await recordAudit(
            trx,
            actorOfPrincipal(p, t.ip),
            { action: 'sensors.mqtt', entityType: 'Datastreams', entityId: streams.join(','), details: { created: t.created, refused: t.refused } },
            'sensors',
          );
      return rows;
    });
    this.live.announce(result);
    return out.map((r) => r!);
  }
}
