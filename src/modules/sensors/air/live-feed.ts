import type { ServerResponse } from 'node:http';
import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../../platform/db/index.js';
import type { Live } from '../live.js';
import { stationFeatures } from './stations.js';

/** At most this many open event streams per instance; more are refused (503) rather than exhausting sockets. */
export const MAX_CLIENTS = 2000;
const FLUSH_MS = 1000;
const HEARTBEAT_MS = 25_000;

/**
 * The map's live updates, as Server-Sent Events: when observations (or stations) are committed on
 * this instance, the stations they belong to are recomputed — at most once a second, however many
 * observations arrive — and each open stream gets an `event: station` with the station's Feature
 * (its current AQI and colour).
 */
export class AirFeed {
  private readonly clients = new Set<ServerResponse>();
  private readonly streams = new Set<number>();
  private readonly things = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {}

  get full(): boolean {
    return this.clients.size >= MAX_CLIENTS;
  }

  /** Follows what `live` announces while someone listens. */
  start(live: Live): void {
    this.unlisten = live.listen((changes) => {
      if (!this.clients.size) return;
      for (const c of changes) {
        if (c.set === 'Observations') this.streams.add(Number(c.row.datastream_id));
        else if (c.set === 'Things') this.things.add(Number(c.row.id));
      }
      this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
    });
    this.heartbeat = setInterval(() => this.send(': keep-alive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  stop(): void {
    this.unlisten?.();
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  /**
   * Takes an HTTP response over as an event stream, ended after `seconds` (the browser reconnects
   * by itself, so long-lived streams spread again over the instances behind a proxy).
   */
  attach(res: ServerResponse, seconds: number): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.write('retry: 5000\n\n');
    if (seconds <= 0) {
      res.end();
      return;
    }
    this.clients.add(res);
    const timer = setTimeout(() => res.end(), seconds * 1000);
    timer.unref();
    res.once('close', () => {
      clearTimeout(timer);
      this.clients.delete(res);
    });
  }

  private send(chunk: string): void {
    for (const c of this.clients) c.write(chunk);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const streams = [...this.streams];
    const ids = new Set(this.things);
    this.streams.clear();
    this.things.clear();
    try {
      if (streams.length)
        for (const r of (await sql<{ thing_id: string }>`select distinct thing_id from sta_datastream where id = any(${streams}::bigint[])`.execute(this.db))
          .rows)
          ids.add(Number(r.thing_id));
      if (!ids.size) return;
      for (const f of await stationFeatures(this.db, [...ids])) this.send(`event: station\ndata: ${JSON.stringify(f)}\n\n`);
    } catch (e) {
      this.log.warn({ err: e }, 'air quality live update failed');
    }
  }
}
