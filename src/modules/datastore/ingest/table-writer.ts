import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pgType, type ColumnType } from './infer.js';
import { ident } from './names.js';

/**
 * COPY into one new table, in segments: a column widened while loading (whole numbers that turn
 * out to have decimals, dates that turn out to have times) ends the segment, is altered in place
 * (its values so far keep their meaning) and the next segment continues. Writes wait for the
 * server (back-pressure).
 */
/** COPY bytes queued for the server before the encoder waits (a few batches: the server works while the next ones are encoded). */
const IN_FLIGHT = 8 << 20;

export class TableWriter {
  private copy: ReturnType<typeof copyFrom> | undefined;
  private finished: Promise<void> | undefined;

  constructor(
    private readonly client: pg.PoolClient,
    readonly table: string,
    private readonly ids: string[],
  ) {}

  async create(types: ColumnType[]): Promise<void> {
    const cols = this.ids.map((id, i) => `${ident(id)} ${pgType(types[i]!)}`);
    await this.client.query(`create table ${this.table} (_id bigint not null, ${cols.join(', ')})`);
  }

  /**
   * The row id's primary key, built once every row is in (after `flush`): one sorted build is cheaper for the
   * server than a million index insertions during the COPY, which held the COPY back (ids are
   * numbered by the writer, so they cannot clash).
   */
  async addRowKey(): Promise<void> {
    await this.client.query(`alter table ${this.table} add primary key (_id)`);
  }

  private open(): ReturnType<typeof copyFrom> {
    const copy = this.client.query(copyFrom(`copy ${this.table} (_id, ${this.ids.map(ident).join(', ')}) from stdin`));
    this.finished = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    this.copy = copy;
    return copy;
  }

  /**
   * Writes COPY text (whole rows, not written to again); resolves at once while less than
   * `IN_FLIGHT` bytes wait to be sent, else when the server has taken them. Waiting for every
   * batch to drain (the stream's own 16 KB mark) made the encoder and the server take turns
   * instead of working at the same time.
   */
  async write(bytes: Buffer): Promise<void> {
    if (!bytes.length) return;
    const copy = this.copy ?? this.open();
    copy.write(bytes);
    if (copy.writableLength >= IN_FLIGHT) {
      await new Promise<void>((resolve, reject) => {
        const fail = (e: Error) => reject(e);
        copy.once('error', fail);
        copy.once('drain', () => {
          copy.off('error', fail);
          resolve();
        });
      });
    }
  }

  /** Ends the current segment and waits until the server has every row. */
  async flush(): Promise<void> {
    if (!this.copy) return;
    const done = this.finished;
    this.copy.end();
    this.copy = undefined;
    await done;
  }

  async widen(column: number, to: ColumnType): Promise<void> {
    await this.flush();
    const id = ident(this.ids[column]!);
    await this.client.query(`alter table ${this.table} alter column ${id} type ${pgType(to)} using ${id}::${pgType(to)}`);
  }

  /** Turns a column written as JSON text (GeoJSON geometry, nested values) into jsonb. */
  async castJson(id: string): Promise<void> {
    const c = ident(id);
    await this.client.query(`alter table ${this.table} alter column ${c} type jsonb using ${c}::jsonb`);
  }

  /** Stops a segment after a failure (the transaction is rolled back by the caller). */
  abort(): void {
    this.copy?.destroy();
    this.copy = undefined;
  }
}
