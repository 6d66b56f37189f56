/**
 * Times as a series file writes them (ISO 8601: a date, or a date and time with or without an
 * offset), read to instants and written back in the same style, so a forecast's times look like
 * the input's. A time without an offset is a wall-clock time and stays one (read and written as UTC).
 */

export interface TimeStyle {
  /** Only a date (YYYY-MM-DD). */
  dateOnly: boolean;
  /** The character between date and time: 'T' or ' '. */
  sep: string;
  /** Seconds written. */
  seconds: boolean;
  /** Fraction digits written (0, 3, 6). */
  fraction: number;
  /** The offset as written ('Z', '+07:00', '+0700') or '' for a wall-clock time; its minutes east of UTC. */
  offset: string;
  offsetMinutes: number;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 time (ms since the epoch) and how it was written; undefined when it is not one. */
export function parseTime(raw: string): { at: number; style: TimeStyle } | undefined {
  const m = ISO.exec(raw.trim());
  if (!m) return undefined;
  const [, y, mo, d, sep, hh, mi, ss, frac, off] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(hh ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(ss ?? 0);
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  let offsetMinutes = 0;
  if (off && off !== 'Z') {
    const sign = off.startsWith('-') ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    if (Math.abs(offsetMinutes) > 14 * 60) return undefined;
  }
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(wall);
  // Date.UTC rolls 31/02 over to March; a calendar date that does not exist is not a time.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
    return undefined;
  return {
    at: wall - offsetMinutes * 60_000,
    style: {
      dateOnly: sep === undefined,
      sep: sep ?? 'T',
      seconds: ss !== undefined,
      fraction: frac ? (frac.length <= 3 ? 3 : 6) : 0,
      offset: off ?? '',
      offsetMinutes,
    },
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An instant written in a style: the same offset, the same precision. */
export function formatTime(at: number, style: TimeStyle): string {
  const wall = new Date(at + style.offsetMinutes * 60_000);
  const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  if (style.dateOnly) return date;
  let time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
  if (style.seconds || style.fraction || wall.getUTCSeconds() || wall.getUTCMilliseconds()) time += `:${pad(wall.getUTCSeconds())}`;
  if (style.fraction) time += `.${pad(wall.getUTCMilliseconds(), 3)}${style.fraction > 3 ? '000' : ''}`;
  return `${date}${style.sep}${time}${style.offset}`;
}

/** The wall-clock parts of an instant in a style's offset (for calendar steps and calendar features). */
export function wallParts(
  at: number,
  offsetMinutes: number,
): { year: number; month: number; day: number; hour: number; minute: number; weekday: number; msOfDay: number } {
  const w = new Date(at + offsetMinutes * 60_000);
  return {
    year: w.getUTCFullYear(),
    month: w.getUTCMonth(),
    day: w.getUTCDate(),
    hour: w.getUTCHours(),
    minute: w.getUTCMinutes(),
    weekday: w.getUTCDay(),
    msOfDay: ((w.getTime() % 86_400_000) + 86_400_000) % 86_400_000,
  };
}
