import net from 'node:net';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, setMember } from '../../src/modules/organizations/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { mosquittoPub } from '../helpers/mqtt.js';
import { freePort } from '../helpers/net.js';
import { pm25Stream, stationThing } from '../helpers/stations.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

/** A raw MQTT 3.1.1 connection, to send packets exactly as given (a redelivery with the same packet id and DUP). */
async function rawClient(port: number, clientId: string, password: string) {
  const sock = net.connect(port, '127.0.0.1');
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  const packets: Loose[] = [];
  let closed = false;
  sock.on('data', (d) => parser.parse(d));
  sock.on('close', () => (closed = true));
  parser.on('packet', (p) => packets.push(p));
  await new Promise((r) => sock.once('connect', r));
  const send = (p: Loose) => sock.write(mqttPacket.generate(p));
  const waitFor = async (pred: (p: Loose) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const hit = packets.find(pred);
      if (hit) return hit;
      if (closed) return undefined;
      await new Promise((r) => setTimeout(r, 25));
    }
    return undefined;
  };
  send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: false, clientId, keepalive: 30, username: 'tram', password: Buffer.from(password) });
  expect((await waitFor((p) => p.cmd === 'connack'))?.returnCode).toBe(0);
  return { send, waitFor, packets, isClosed: () => closed, end: () => sock.destroy() };
}

/**
 * SensorThings' MQTT extension on the embedded broker: publishing creates Observations (acknowledged once
 * stored, once only, by the owning organization's token), subscriptions to the standard's topics receive
 * what is created, in full or by $select.
 */
describe('SensorThings over MQTT', () => {
  let t: TestApp;
  let port: number;
  let editorToken: string;
  let otherToken: string;
  let stream: number;
  let otherStream: number;

  const call = async (method: string, url: string, token?: string, payload?: unknown) => {
    const r = await t.app.inject({
      method: method as 'GET',
      url,
      headers: { 'accept-language': 'en', ...(token ? { authorization: token } : {}) },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: r.statusCode, json: () => r.json() as Loose, body: r.body };
  };
  const observations = async (ds: number) =>
    (await call('GET', `/v1.1/Datastreams(${ds})/Observations?$count=true&$top=10000&$orderby=phenomenonTime`)).json() as Loose;
  const topic = (ds: number) => `v1.1/Datastreams(${ds})/Observations`;

  const makeStation = async (token: string, name: string) => {
    const made = await call('POST', '/v1.1/Things', token, stationThing(name, { datastreams: [pm25Stream(name)] }));
    expect(made.status, made.body).toBe(201);
    const ds = (await call('GET', `/v1.1/Things(${made.json()['@iot.id']})/Datastreams`)).json();
    return ds.value[0]['@iot.id'] as number;
  };

  beforeAll(async () => {
    port = await freePort();
    t = await createTestApp({ mqttPort: port });
    const mk = async (slug: string) =>
      (await createOrganization(t.db.db, systemPrincipal(), SYSTEM_ACTOR, { name: slug, slug, kind: 'department', email: `${slug}@example.gov.vn` })).id;
    const mkUser = async (email: string, orgId: string) => {
      const u = await t.userWithToken({ email });
      await setMember(t.db.db, systemPrincipal(), SYSTEM_ACTOR, orgId, u.id, 'editor');
      return u.token;
    };
    editorToken = await mkUser('tram@example.gov.vn', await mk('snnmt-mqtt'));
    otherToken = await mkUser('khac@example.gov.vn', await mk('so-khac-mqtt'));
    stream = await makeStation(editorToken, 'Phan Rang');
    otherStream = await makeStation(otherToken, 'Ninh Hải');
  }, 60_000);
  afterAll(async () => t?.close());

  it('stores an Observation published with mosquitto_pub at QoS 1, with its FeatureOfInterest made from the Location', async () => {
    const r = await mosquittoPub([
      ...['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-u', 'tram', '-P', editorToken, '-t', topic(stream)],
      ...['-m', JSON.stringify({ phenomenonTime: '2026-11-20T01:00:00Z', result: 27.4 })],
    ]);
    expect(r.status, r.out).toBe(0);
    const got = await observations(stream);
    expect(got['@iot.count']).toBe(1);
    expect(got.value[0]).toMatchObject({ phenomenonTime: '2026-11-20T01:00:00.000Z', result: 27.4 });
    const foi = (await call('GET', `/v1.1/Observations(${got.value[0]['@iot.id']})/FeatureOfInterest`)).json();
    expect(foi.name).toBe('Phan Rang');
    const ds = (await call('GET', `/v1.1/Datastreams(${stream})`)).json();
    expect(ds.phenomenonTime).toBe('2026-11-20T01:00:00.000Z');
  });

  it('takes many messages in few commits (group commit) and stores each exactly once', async () => {
    const n = 3000;
    const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ phenomenonTime: new Date(Date.UTC(2026, 9, 1) + i * 60_000).toISOString(), result: i }));
    const r = await mosquittoPub(
      ['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-u', 'tram', '-P', editorToken, '-t', topic(stream), '-l', '--id', 'bulk-1'],
      `${lines.join('\n')}\n`,
    );
    expect(r.status, r.out).toBe(0);
    const rows = (
      await t.db.db.executeQuery<{ n: string; commits: string; distinct_times: string }>({
        sql: `select count(*) as n, count(distinct xmin::text) as commits, count(distinct phenomenon_time_start) as distinct_times
                  from sta_observation where datastream_id = $1 and phenomenon_time_start < '2026-11-01'`,
        parameters: [stream],
      } as never)
    ).rows[0]!;
    expect(Number(rows.n)).toBe(n);
    expect(Number(rows.distinct_times)).toBe(n);
    // Each transaction leaves its id in xmin: far fewer commits than messages.
    expect(Number(rows.commits)).toBeLessThan(n / 5);
  });

  it('acknowledges a redelivered message (same client, packet id and payload, DUP set) without storing it twice', async () => {
    const c = await rawClient(port, 'tram-dup', editorToken);
    const payload = JSON.stringify({ phenomenonTime: '2026-11-21T05:00:00Z', result: 55.5 });
    c.send({ cmd: 'publish', topic: topic(stream), payload, qos: 1, messageId: 42, dup: false, retain: false });
    expect(await c.waitFor((p) => p.cmd === 'puback' && p.messageId === 42)).toBeTruthy();
    c.send({ cmd: 'publish', topic: topic(stream), payload, qos: 1, messageId: 42, dup: true, retain: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(c.packets.filter((p) => p.cmd === 'puback' && p.messageId === 42)).toHaveLength(2);
    // The same packet id with another payload is another message.
    c.send({ cmd: 'publish', topic: topic(stream), payload: payload.replace('55.5', '56.5'), qos: 1, messageId: 42, dup: false, retain: false });
    await new Promise((r) => setTimeout(r, 300));
    c.end();
    const got = (await call('GET', `/v1.1/Datastreams(${stream})/Observations?$filter=phenomenonTime eq 2026-11-21T05:00:00Z&$count=true`)).json();
    expect(got['@iot.count']).toBe(2);
    expect(got.value.map((o: Loose) => o.result).sort()).toEqual([55.5, 56.5]);
  });

  it("closes the connection of a publisher without a token, or to another organization's datastream, and stores nothing", async () => {
    const before = (await observations(otherStream))['@iot.count'];
    const anonymous = await mosquittoPub(['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-t', topic(otherStream), '-m', '{"result":1}']);
    expect(anonymous.status).not.toBe(0);
    const c = await rawClient(port, 'tram-wrong-org', editorToken);
    c.send({ cmd: 'publish', topic: topic(otherStream), payload: '{"result":2}', qos: 1, messageId: 1, dup: false, retain: false });
    await c.waitFor(() => false);
    expect(c.isClosed()).toBe(true);
    expect(c.packets.some((p) => p.cmd === 'puback')).toBe(false);
    expect((await observations(otherStream))['@iot.count']).toBe(before);
    const badToken = await mosquittoPub([
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-q',
      '1',
      '-u',
      'x',
      '-P',
      'not-a-token',
      '-t',
      topic(stream),
      '-m',
      '{"result":3}',
    ]);
    expect(badToken.status).not.toBe(0);
    expect(badToken.out).toMatch(/bad user name or password|not authori[sz]ed/i);
    const elsewhere = await mosquittoPub(['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-u', 'x', '-P', editorToken, '-t', 'v1.1/Things', '-m', '{}']);
    expect(elsewhere.status).not.toBe(0);
  });

  it('acknowledges a malformed Observation, stores nothing, and tells the client why on its error topic', async () => {
    const before = (await observations(stream))['@iot.count'];
    const c = await rawClient(port, 'tram-loi', editorToken);
    c.send({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'tinhso/errors/tram-loi', qos: 0 }] });
    expect((await c.waitFor((p) => p.cmd === 'suback'))?.granted).toEqual([0]);
    c.send({
      cmd: 'publish',
      topic: topic(stream),
      payload: JSON.stringify({ phenomenonTime: '20/11/2026', result: 1 }),
      qos: 1,
      messageId: 3,
      dup: false,
      retain: false,
    });
    expect(await c.waitFor((p) => p.cmd === 'puback' && p.messageId === 3)).toBeTruthy();
    const err = await c.waitFor((p) => p.cmd === 'publish' && p.topic === 'tinhso/errors/tram-loi');
    expect(JSON.parse(err.payload.toString()).error.en).toMatch(/phenomenonTime.*ISO 8601/);
    c.send({ cmd: 'publish', topic: topic(stream), payload: 'not json', qos: 1, messageId: 4, dup: false, retain: false });
    expect(await c.waitFor((p) => p.cmd === 'puback' && p.messageId === 4)).toBeTruthy();
    // PostgreSQL refuses U+0000 in text and JSON: refused like any bad content, not a database error that would close the connection for good.
    c.send({
      cmd: 'publish',
      topic: topic(stream),
      payload: JSON.stringify({ result: 1, parameters: { note: 'a\u0000b' } }),
      qos: 1,
      messageId: 6,
      dup: false,
      retain: false,
    });
    expect(await c.waitFor((p) => p.cmd === 'puback' && p.messageId === 6)).toBeTruthy();
    // Nor a value nested past what PostgreSQL's jsonb parser takes.
    const deep = `{"result":1,"parameters":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;
    c.send({ cmd: 'publish', topic: topic(stream), payload: deep, qos: 1, messageId: 7, dup: false, retain: false });
    expect(await c.waitFor((p) => p.cmd === 'puback' && p.messageId === 7)).toBeTruthy();
    expect(c.isClosed()).toBe(false);
    c.end();
    expect((await observations(stream))['@iot.count']).toBe(before);
  });

  it('delivers created Observations to subscribers of the standard topics, whole or by $select, from MQTT and HTTP alike', async () => {
    const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'ban-do', reconnectPeriod: 0 });
    const got: { topic: string; body: Loose }[] = [];
    sub.on('message', (tp, payload) => got.push({ topic: tp, body: JSON.parse(payload.toString()) }));
    const granted = await sub.subscribeAsync([topic(stream), 'v1.1/Observations?$select=result,phenomenonTime', `v1.1/Datastreams(${stream})`], { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1, 1, 1]);
    // Topics that are not SensorThings resources are refused (SUBACK 128).
    const raw = await rawClient(port, 'khong-hop-le', editorToken);
    raw.send({
      cmd: 'subscribe',
      messageId: 5,
      subscriptions: ['v1.1/Datastreams(1)/Nothing', 'v1.1/#', 'tinhso/errors/tram-loi', '$tinhso/ingested'].map((tp) => ({ topic: tp, qos: 0 })),
    });
    expect((await raw.waitFor((p) => p.cmd === 'suback'))?.granted).toEqual([128, 128, 128, 128]);
    raw.end();
    const pub = await mosquittoPub([
      ...['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-u', 'tram', '-P', editorToken, '-t', topic(stream)],
      ...['-m', JSON.stringify({ phenomenonTime: '2026-11-22T03:00:00Z', result: 12 })],
    ]);
    expect(pub.status, pub.out).toBe(0);
    const posted = await call('POST', `/v1.1/Datastreams(${stream})/Observations`, editorToken, { phenomenonTime: '2026-11-22T04:00:00Z', result: 13 });
    expect(posted.status, posted.body).toBe(201);
    for (let i = 0; i < 100 && got.length < 4; i++) await new Promise((r) => setTimeout(r, 30));
    await sub.endAsync();
    const full = got.filter((g) => g.topic === topic(stream)).map((g) => g.body);
    expect(full.map((b) => b.result)).toEqual([12, 13]);
    expect(full[0]['@iot.id']).toEqual(expect.any(Number));
    expect(full[0]['@iot.selfLink']).toMatch(new RegExp(`/v1\\.1/Observations\\(${full[0]['@iot.id']}\\)$`));
    expect(full[0]['Datastream@iot.navigationLink']).toMatch(/\/Datastream$/);
    const selected = got.filter((g) => g.topic === 'v1.1/Observations?$select=result,phenomenonTime').map((g) => g.body);
    expect(selected).toEqual([
      { result: 12, phenomenonTime: '2026-11-22T03:00:00.000Z' },
      { result: 13, phenomenonTime: '2026-11-22T04:00:00.000Z' },
    ]);
    // The raw published payload is not relayed: only the created entities.
    expect(got.every((g) => '@iot.selfLink' in g.body || 'result' in g.body)).toBe(true);
    expect(got.filter((g) => g.topic === topic(stream))).toHaveLength(2);
  });
});
