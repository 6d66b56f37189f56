import { Readable } from 'node:stream';
import Papa from 'papaparse';

/** The field separator from the first lines: the one of , ; tab | that splits them most evenly and most often. */
export function sniffDelimiter(text: string): string {
  const lines = text.split(/\r?\n/, 20).filter((l) => l.trim());
  let best = ',';
  let bestScore = -1;
  for (const d of [',', ';', '\t', '|']) {
    const counts = lines.map((l) => l.split(d).length - 1);
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const steady = counts.filter((c) => c === first).length;
    const score = steady * 1000 + first;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Rows of a delimited text in batches, parsed by papaparse (RFC 4180 quoting, CRLF or LF) as the
 * text streams in; the parser waits while the caller works on a batch (back-pressure, so a 1 GB
 * file is never held in memory). The first yielded batch starts with the file's first row.
 */
export async function* csvBatches(chunks: AsyncIterable<string>, delimiter: string): AsyncGenerator<string[][]> {
  const queue: (string[][] | Error | null)[] = [];
  let wake: (() => void) | undefined;
  let parser: Papa.Parser | undefined;
  const push = (item: string[][] | Error | null) => {
    queue.push(item);
    wake?.();
  };
  const source = Readable.from(chunks);
  Papa.parse<string[]>(source as unknown as Papa.LocalFile, {
    delimiter,
    quoteChar: '"',
    skipEmptyLines: false,
    chunk: (res, p) => {
      parser = p;
      p.pause();
      push(res.data);
    },
    complete: () => push(null),
    error: (e: Error) => push(e),
  });
  source.on('error', (e) => push(e));
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      const item = queue.shift()!;
      if (item === null) return;
      if (item instanceof Error) throw item;
      yield item;
      parser?.resume();
    }
  } finally {
    source.destroy();
  }
}
