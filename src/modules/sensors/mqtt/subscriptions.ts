/**
 * The SensorThings topics clients are subscribed to, by the topic a change is published on
 * (without `?$select`), each with its full topics (with their selects) and how many hold them.
 * Changes are published only to topics someone holds, so ingest does not render for no one.
 */
export class Subscriptions {
  private readonly byBase = new Map<string, Map<string, { select?: string[]; holders: number }>>();

  add(base: string, full: string, select: string[] | undefined): void {
    let variants = this.byBase.get(base);
    if (!variants) this.byBase.set(base, (variants = new Map()));
    const v = variants.get(full);
    if (v) v.holders++;
    else variants.set(full, { select, holders: 1 });
  }

  remove(base: string, full: string): void {
    const variants = this.byBase.get(base);
    const v = variants?.get(full);
    if (!variants || !v) return;
    if (--v.holders <= 0) variants.delete(full);
    if (!variants.size) this.byBase.delete(base);
  }

  get empty(): boolean {
    return this.byBase.size === 0;
  }

  /** The full topics held on this base topic, with their selects. */
  variants(base: string): [string, string[] | undefined][] {
    const v = this.byBase.get(base);
    return v ? [...v].map(([full, { select }]) => [full, select]) : [];
  }
}
