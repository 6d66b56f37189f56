/**
 * A date (and optional time) as Vietnamese write it — `20/11/2026`, `20/11/2026 08:30` — or in ISO
 * (`2026-11-20`, `2026-11-20T08:30`); null when it is not a real calendar date or time.
 */
export function parseViDateTime(input: string): { date: string; time: string | null } | null {
  const t = input.trim();
  const vi = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]+(\d{1,2})[:h](\d{2}))?$/.exec(t);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::\d{2})?)?$/.exec(t);
  const m = vi ?? iso;
  if (!m) return null;
  const [y, mo, d] = vi ? [Number(m[3]), Number(m[2]), Number(m[1])] : [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  let time: string | null = null;
  if (m[4] !== undefined) {
    const h = Number(m[4]);
    const min = Number(m[5]);
    if (h > 23 || min > 59) return null;
    time = `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
  }
  return { date: date.toISOString().slice(0, 10), time };
}

/** The instant of a local date and time in Vietnam (UTC+7, no daylight saving). */
export const vnInstant = (date: string, time: string | null): Date => new Date(`${date}T${time ?? '00:00'}:00+07:00`);

/** An instant as dd/mm/yyyy HH:mm in Vietnam. */
export function formatViDateTime(d: Date): string {
  const v = new Date(d.getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()} ${p(v.getUTCHours())}:${p(v.getUTCMinutes())}`;
}
