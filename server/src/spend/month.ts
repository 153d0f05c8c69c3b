/** A calendar month in UTC, as the spend report uses it: [start, end). */
export interface MonthRange {
  /** "YYYY-MM". */
  label: string;
  start: Date;
  end: Date;
}

const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;

const pad = (n: number) => String(n).padStart(2, '0');

export function monthOf(year: number, monthIndex: number): MonthRange {
  const start = new Date(Date.UTC(year, monthIndex, 1));
  const end = new Date(Date.UTC(year, monthIndex + 1, 1));
  return { label: `${start.getUTCFullYear()}-${pad(start.getUTCMonth() + 1)}`, start, end };
}

export const currentMonth = (now: Date) => monthOf(now.getUTCFullYear(), now.getUTCMonth());
export const previousMonth = (month: MonthRange) => monthOf(month.start.getUTCFullYear(), month.start.getUTCMonth() - 1);

/** Parses "YYYY-MM" (absent → the current UTC month), or says how to write it. */
export function parseMonth(text: string | null | undefined, now: Date): { ok: true; month: MonthRange } | { ok: false; message: string } {
  if (text == null) return { ok: true, month: currentMonth(now) };
  const match = MONTH_PATTERN.exec(text.trim());
  const month = match ? Number(match[2]) : 0;
  const year = match ? Number(match[1]) : 0;
  if (!match || month < 1 || month > 12 || year < 2000) {
    return { ok: false, message: `must be a month as "YYYY-MM" (e.g. "${currentMonth(now).label}"), from 2000-01 on; got ${JSON.stringify(text)}` };
  }
  return { ok: true, month: monthOf(year, month - 1) };
}

/** A UTC instant as the text Postgres reads into `timestamp` (without time zone) columns, which Prisma fills with UTC. */
export const utcTimestamp = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');
