interface Waiting<I, R> {
  item: I;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: items submitted while a flush runs wait for the next one, which takes them all
 * (up to `max`) at once. One flush at a time, so under load each commit carries many items and
 * with none it carries one without waiting. A flush answers each item; if it throws, every item
 * of that flush is rejected.
 */
export class GroupCommit<I, R> {
  private queue: Waiting<I, R>[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly flush: (items: I[]) => Promise<R[]>,
    private readonly max = 10_000,
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves when everything submitted so far is answered. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // Let the items of the current socket read join the first flush.
    await new Promise((r) => setImmediate(r));
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.max);
      try {
        const out = await this.flush(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(out[i]!));
      } catch (e) {
        for (const w of batch) w.reject(e);
      }
    }
    this.running = undefined;
  }
}
