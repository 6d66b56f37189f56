import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, composeInput, eventually, KH_AGENCY, NT_SENDER, twoProvinces, type Loose } from './helpers.js';

type Env = Awaited<ReturnType<typeof twoProvinces>>;

/** A TCP proxy to `target` that holds every connection (reading nothing onward) until released. */
async function holdingProxy(target: URL) {
  let held: (() => void)[] | undefined = [];
  let connections = 0;
  const server = net.createServer((client) => {
    connections++;
    const go = () => {
      const up = net.connect(Number(target.port), target.hostname);
      client.pipe(up).pipe(client);
      up.on('error', () => client.destroy());
      client.on('error', () => up.destroy());
    };
    if (held) {
      client.pause();
      held.push(go);
    } else go();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connections: () => connections,
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      waiting.forEach((go) => go());
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * A recall that cancels a delivery already under way (the package on the wire): if the package
 * arrives after all, the recipient has the document, so it gets the recall too.
 */
describe('a recall racing a delivery in flight', () => {
  let env: Env;
  let proxy: Awaited<ReturnType<typeof holdingProxy>>;
  let khBase: string;

  beforeAll(async () => {
    // KH's address is not known before it listens: start with a dead upstream, then point NT at the proxy.
    env = await twoProvinces({ ntUpstream: 'http://127.0.0.1:9' });
    khBase = env.kh.base;
    proxy = await holdingProxy(new URL(khBase));
    await env.reconnectVia(proxy.url);
  }, 60_000);
  afterAll(async () => {
    proxy?.release();
    await env?.close();
    await proxy?.close();
  });

  it('records the late arrival as delivered and sends it the recall', async () => {
    const { nt, kh } = env;
    const r = await api(nt, 'POST', '/api/v1/documents/orgs/stnmt-nt/outbox', nt.clerks[NT_SENDER]!, composeInput([KH_AGENCY]));
    expect(r.status, r.body).toBe(201);
    const id = r.json().id as string;
    // The package is on its way: the proxy holds the connection.
    await eventually(async () => proxy.connections() > 0, 'the delivery connected');
    const recall = await api(nt, 'POST', `/api/v1/documents/${id}/recall`, nt.clerks[NT_SENDER]!, { reason: 'Gửi nhầm' });
    expect(recall.status, recall.body).toBe(200);
    const view = async () => (await api(nt, 'GET', `/api/v1/documents/${id}`, nt.members[NT_SENDER]!)).json() as Loose;
    expect((await view()).recipients[0].delivery).toBe('cancelled');
    // The network delivers what it held: the document reaches KH.
    proxy.release();
    const khDoc = await eventually(
      async () => {
        const items = (await api(kh, 'GET', '/api/v1/documents/orgs/snnmt-kh/inbox', kh.members[KH_AGENCY]!)).json().items as Loose[];
        return items[0]?.pending_action === '1' && items[0];
      },
      'the recall at KH',
      30_000,
    );
    expect(khDoc.subject).toBe(composeInput([]).subject);
    const after = await eventually(
      async () => {
        const v = await view();
        return v.recipients[0].status === '13' && v;
      },
      '13 back at the sender',
      30_000,
    );
    expect(after.recipients[0].delivery).toBe('delivered');
    expect(after.events.map((e: Loose) => e.kind)).toEqual(expect.arrayContaining(['recall-sent', 'cancelled', 'document-delivered', 'recall-delivered']));
    expect(after.deliveries.filter((d: Loose) => d.kind === 'recall').map((d: Loose) => d.state)).toEqual(['delivered']);
  });
});
