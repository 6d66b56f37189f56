/**
 * The field separator from the first lines: the one of , ; tab | that splits them most evenly and
 * most often (the datastore's loader and the monitoring module's laboratory files both read so).
 */
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
