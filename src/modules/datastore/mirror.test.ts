import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbound } from '../../platform/net/index.js';
import { remoteRowsAfter, remoteTableOf, TooManyTiesError } from './mirror.js';

/**
 * A CKAN datastore_search_sql over an in-memory table, with a row cap below our page size (as a
 * portal's `ckan.datastore.search.rows_max` may be): it answers the keyset queries the mirror
 * sends, cutting them at the cap and saying so (`records_truncated`).
 */
const ID = '0b7e5a3c-1d2f-4e6a-8b9c-0d1e2f3a4b5c';
const rows = [1, 2, 3, 3, 3, 4, 5, 5, 6, 7, 7, 7, 7, 8].map((gio, i) => ({ _id: i + 1, _full_text: 'x', gio, n: i }));
let cap = 4;
const asked: string[] = [];
let server: http.Server;
let net: Outbound;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const sql = new URL(req.url!, 'http://x').searchParams.get('sql') ?? '';
    asked.push(sql);
    const m = /^SELECT \* FROM "([^"]+)" WHERE "gio" (>=?) '(\d+)' ORDER BY "gio" LIMIT (\d+)$/.exec(sql);
    if (!m || m[1] !== ID) return res.writeHead(409).end(JSON.stringify({ success: false }));
    const v = Number(m[3]);
    const hit = rows.filter((r) => (m[2] === '>' ? r.gio > v : r.gio >= v)).slice(0, Number(m[4]));
    const records = hit.slice(0, cap);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ success: true, result: { records, ...(hit.length > cap ? { records_truncated: true } : {}) } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  net = new Outbound({ allow: [`127.0.0.1:${port}`] });
});
afterAll(async () => {
  await net.close();
  await new Promise((r) => server.close(r));
});

async function read(after: string, page: number): Promise<{ gio: unknown; n: unknown }[]> {
  const out: { gio: unknown; n: unknown }[] = [];
  for await (const batch of remoteRowsAfter(net, { base, id: ID }, 'gio', after, page)) out.push(...batch.map((r) => ({ gio: r.gio, n: r.n })));
  return out;
}

describe('remoteRowsAfter', () => {
  it('reads every row past the value once, in keyset pages, also when the source cuts pages at its row cap', async () => {
    const want = rows.filter((r) => r.gio > 2).map((r) => ({ gio: r.gio, n: r.n }));
    for (const [c, page] of [
      [100, 100],
      [100, 5],
      [5, 100],
      [5, 6],
    ] as const) {
      cap = c;
      expect(await read('2', page), `cap ${c}, page ${page}`).toEqual(want);
    }
    // The source's own columns are not the mirror's.
    cap = 100;
    for await (const batch of remoteRowsAfter(net, { base, id: ID }, 'gio', '7', 10)) expect(Object.keys(batch[0]!)).toEqual(['gio', 'n']);
  });

  it('refuses a run of one value longer than a page (a full pull then), and quotes the value it sends', async () => {
    cap = 100;
    await expect(read('6', 3)).rejects.toBeInstanceOf(TooManyTiesError);
    cap = 3;
    await expect(read('6', 100)).rejects.toBeInstanceOf(TooManyTiesError);
    asked.length = 0;
    await expect(read("2' or 1=1 --", 10)).rejects.toThrow();
    expect(asked[0]).toContain(`'2'' or 1=1 --'`);
  });

  it('knows a datastore table by its dump URL', () => {
    expect(remoteTableOf(`https://data.gov.vn/datastore/dump/${ID.toUpperCase()}`)).toEqual({ base: 'https://data.gov.vn', id: ID });
    expect(remoteTableOf(`https://ckan.example.org/portal/datastore/dump/${ID}`)).toEqual({ base: 'https://ckan.example.org/portal', id: ID });
    for (const u of [
      `https://x.org/datastore/dump/${ID}?format=json`,
      'https://x.org/datastore/dump/abc',
      `ftp://x.org/datastore/dump/${ID}`,
      'https://x.org/file.csv',
    ])
      expect(remoteTableOf(u), u).toBeNull();
  });
});
