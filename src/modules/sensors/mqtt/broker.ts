import net from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { FastifyBaseLogger } from 'fastify';
import { Counter, type Registry } from '../../../platform/metrics/index.js';
import { principalForToken } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { loadMemberships } from '../../organizations/index.js';
import type { Live } from '../live.js';
import type { MqttIngest } from './ingest.js';
import { messagesFor } from './relay.js';
import { Subscriptions } from './subscriptions.js';
import { createTopic, errorTopic, subscriptionTopic } from './topics.js';

export interface Broker {
  port: number;
  close(): Promise<void>;
}

export interface BrokerOptions {
  port: number;
  db: Db;
  log: FastifyBaseLogger;
  metrics: Registry;
  ingest: MqttIngest;
  live: Live;
  /** The SensorThings base URL, for the selfLinks of published entities. */
  base: () => string;
}

/** Where a taken-in message goes after its write: nowhere (no client may subscribe to `$tinhso/`), so its raw payload is not relayed. */
const SWALLOWED = '$tinhso/ingested';

/**
 * The embedded MQTT broker (aedes) of SensorThings' MQTT extension. Clients authenticate with an
 * API token as password (anyone may subscribe without); a publish to
 * `v1.1/Datastreams(ID)/Observations` creates an Observation, acknowledged (PUBACK) only once it
 * is committed; subscriptions are SensorThings topics, fed from what this instance commits.
 */
export async function startBroker(o: BrokerOptions): Promise<Broker> {
  const tokens = new WeakMap<Client, string>();
  const subs = new Subscriptions();
  const taken = new Counter({
    name: 'tinhso_mqtt_observations_total',
    help: 'Observations published over MQTT, by outcome',
    labelNames: ['outcome'],
    registers: [o.metrics],
  });

  const broker = await Aedes.createBroker({
    authenticate(client, _username, password, done) {
      if (!password?.length) return done(null, true);
      const token = password.toString('utf8');
      principalForToken(o.db, token, loadMemberships).then(
        (p) => {
          if (!p) return done(Object.assign(new Error('The API token is invalid, expired or revoked'), { returnCode: 4 }) as AuthenticateError, false);
          tokens.set(client, token);
          done(null, true);
        },
        (e: unknown) => done(Object.assign(e as Error, { returnCode: 3 }) as AuthenticateError, false),
      );
    },

    authorizePublish(client, packet, done) {
      if (!client) return done(null);
      const target = createTopic(packet.topic);
      if (!target) return done(new Error(`publish only to v1.1/Datastreams(ID)/Observations, not ${packet.topic}`));
      const token = tokens.get(client);
      if (!token) return done(new Error('publishing needs an API token as the MQTT password'));
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      o.ingest
        .submit({
          token,
          clientId: client.id,
          messageId: packet.qos > 0 ? packet.messageId : undefined,
          payload,
          datastream: target.datastream,
          ip: (client.conn as net.Socket).remoteAddress ?? null,
        })
        .then(
          (r) => {
            taken.inc({ outcome: r.outcome });
            if (r.outcome === 'denied') return done(new Error(r.error.msg.en));
            packet.topic = SWALLOWED;
            packet.retain = false;
            done(null);
            if (r.outcome === 'refused') {
              o.log.warn({ client: client.id, topic: target, err: r.error.msg.en }, 'MQTT observation refused');
              broker.publish(
                { cmd: 'publish', topic: errorTopic(client.id), payload: JSON.stringify({ error: r.error.msg }), qos: 0, retain: false, dup: false },
                () => undefined,
              );
            }
          },
          (e: unknown) => {
            // Not written (the database failed): no acknowledgement, and the client resends on reconnect.
            o.log.error({ err: e, client: client.id }, 'MQTT observation not stored');
            done(e as Error);
          },
        );
    },

    authorizeSubscribe(client, sub, done) {
      if (sub.topic === errorTopic(client.id)) return done(null, sub);
      const t = subscriptionTopic(sub.topic);
      done(null, 'error' in t ? null : sub);
    },
  });

  const track = (topic: string, add: boolean) => {
    const t = subscriptionTopic(topic);
    if ('error' in t) return;
    if (add) subs.add(t.base, topic, t.select);
    else subs.remove(t.base, topic);
  };
  broker.on('clientError', (client, err) => o.log.info({ client: client.id, err: err.message }, 'MQTT client closed on error'));
  broker.on('subscribe', (list) => {
    for (const s of list) if ((s.qos as number) !== 128) track(s.topic, true);
  });
  broker.on('unsubscribe', (list) => {
    for (const topic of list) track(topic, false);
  });
  broker.on('clientDisconnect', (client) => {
    // A clean session's subscriptions end with it; a persistent one's stay (its messages are kept for it).
    if (client.clean) for (const topic of Object.keys((client as unknown as { subscriptions: Record<string, unknown> }).subscriptions)) track(topic, false);
  });

  const unlisten = o.live.listen((changes) => {
    for (const m of messagesFor(changes, subs, o.base()))
      broker.publish({ cmd: 'publish', topic: m.topic, payload: m.payload, qos: 1, retain: false, dup: false }, () => undefined);
  });

  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  o.log.info({ port }, 'MQTT broker listening');
  return {
    port,
    close: async () => {
      unlisten();
      const closed = new Promise<void>((r) => server.close(() => r()));
      await o.ingest.idle();
      await new Promise<void>((r) => broker.close(() => r()));
      await closed;
    },
  };
}
