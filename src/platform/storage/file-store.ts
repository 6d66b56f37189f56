import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { defineJob } from '../jobs/index.js';

/** Removes released, unclaimed and partial files (hourly). */
export const STORAGE_SWEEP_JOB = defineJob('storage.sweep');
/** How long a released file stays (downloads in flight finish), and how long an upload may wait to be claimed. */
export const SWEEP_GRACE_MS = 10 * 60_000;
export const UNCLAIMED_MS = 24 * 3600_000;

export interface StoredFile {
  key: string;
  size: number;
  sha256: string;
}

export class TooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`file larger than ${limit} bytes`);
  }
}

/** Stored files as modules see them; the local-disk store below is the one implementation today. */
export interface FileStore {
  /** Streams `source` in (at most `maxBytes`), recording the file as unclaimed until a transaction claims it. */
  put(source: Readable, maxBytes: number, namespace?: string): Promise<StoredFile>;
  /** A stream of the file, or of bytes [start, end] (inclusive) of it. */
  open(key: string, range?: { start: number; end?: number }, chunk?: number): Readable;
  /** The file's path on this machine, for a reader in another thread (null for a store without one). */
  localPath(key: string): string | null;
  stat(key: string): Promise<{ size: number; modified: Date } | undefined>;
  exists(key: string): Promise<boolean>;
  /** Deletes the file and its ownership record now (an upload that failed, a sweep). */
  remove(key: string): Promise<void>;
  /** Removes released files older than `graceMs`, files never claimed within `unclaimedMs`, and partial writes. */
  sweep(opts: { graceMs: number; unclaimedMs: number }): Promise<{ removed: number; partials: number }>;
}

export const DEFAULT_NAMESPACE = 'catalog';
const KEY_RE = /^(?:[a-z][a-z0-9-]{0,30}\/)?[0-9a-f]{2}\/[0-9a-f-]{36}$/;
const NAMESPACE_RE = /^[a-z][a-z0-9-]{0,30}$/;

/**
 * Files on local disk under the data dir, addressed by an opaque key (`xx/uuid`, or
 * `namespace/xx/uuid` outside the catalog). Writes go to `*.part` and are renamed into place only
 * when complete; who owns each file is in the `stored_file` table (see ownership.ts).
 */
export class LocalFileStore implements FileStore {
  constructor(
    private readonly root: string,
    private readonly db: Db,
  ) {}

  private pathOf(key: string): string {
    if (!KEY_RE.test(key)) throw new Error(`bad storage key ${key}`);
    return path.join(this.root, key);
  }

  async put(source: Readable, maxBytes: number, namespace = DEFAULT_NAMESPACE): Promise<StoredFile> {
    if (!NAMESPACE_RE.test(namespace)) throw new Error(`bad storage namespace ${namespace}`);
    const id = crypto.randomUUID();
    const key = `${namespace === DEFAULT_NAMESPACE ? '' : `${namespace}/`}${id.slice(0, 2)}/${id}`;
    const final = path.join(this.root, key);
    await fs.promises.mkdir(path.dirname(final), { recursive: true });
    const tmp = `${final}.part`;
    const hash = crypto.createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > maxBytes) return cb(new TooLargeError(maxBytes));
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, fs.createWriteStream(tmp, { mode: 0o640 }));
      const sha256 = hash.digest('hex');
      // Recorded before it is visible under its key, so the sweep always knows every stored file.
      await sql`insert into stored_file (key, namespace, size, sha256) values (${key}, ${namespace}, ${size}, ${sha256})`.execute(this.db);
      await fs.promises.rename(tmp, final);
      return { key, size, sha256 };
    } catch (e) {
      await fs.promises.rm(tmp, { force: true });
      await sql`delete from stored_file where key = ${key}`.execute(this.db).catch(() => undefined);
      throw e;
    }
  }

  /** The file's bytes (or a range of them); `chunk` sets the read size (64 KB by default; a loader reading a whole file wants more). */
  open(key: string, range?: { start: number; end?: number }, chunk?: number): Readable {
    return fs.createReadStream(this.pathOf(key), {
      ...(range ? { start: range.start, ...(range.end !== undefined ? { end: range.end } : {}) } : {}),
      ...(chunk ? { highWaterMark: chunk } : {}),
    });
  }

  localPath(key: string): string {
    return this.pathOf(key);
  }

  async stat(key: string): Promise<{ size: number; modified: Date } | undefined> {
    const s = await fs.promises.stat(this.pathOf(key)).catch(() => undefined);
    return s ? { size: s.size, modified: s.mtime } : undefined;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
    await sql`delete from stored_file where key = ${key}`.execute(this.db);
  }

  async sweep({ graceMs, unclaimedMs }: { graceMs: number; unclaimedMs: number }): Promise<{ removed: number; partials: number }> {
    const released = new Date(Date.now() - graceMs);
    const unclaimed = new Date(Date.now() - unclaimedMs);
    let removed = 0;
    for (;;) {
      const { rows } = await sql<{ key: string }>`select key from stored_file
        where (released_at is not null and released_at < ${released}) or (owner is null and created_at < ${unclaimed})
        order by key limit 500`.execute(this.db);
      for (const r of rows) await this.remove(r.key);
      removed += rows.length;
      if (rows.length < 500) break;
    }
    return { removed, partials: await this.sweepPartials(unclaimed) };
  }

  /** `*.part` files left by a write that never finished (a killed process), older than `before`. */
  private async sweepPartials(before: Date): Promise<number> {
    let n = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
      const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && depth < 3) await walk(p, depth + 1);
        else if (e.isFile() && e.name.endsWith('.part')) {
          const s = await fs.promises.stat(p).catch(() => undefined);
          if (s && s.mtime < before) {
            await fs.promises.rm(p, { force: true });
            n++;
          }
        }
      }
    };
    await walk(this.root, 0);
    return n;
  }
}
