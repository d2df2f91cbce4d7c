// Days as every partner lives them: calendar days in Brussels, as `YYYY-MM-DD` strings. A UTC
// day would be wrong for two hours around midnight, and summer time moves the offset.
export const NETWORK_TIME_ZONE = 'Europe/Brussels';

const brusselsDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: NETWORK_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The day it is in Brussels at this instant, for example `2026-11-23`. */
export function brusselsDate(at: Date): string {
  return brusselsDay.format(at);
}

/** The calendar day `days` after (or before, when negative) a `YYYY-MM-DD` day. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * The first day of the month a `YYYY-MM-DD` day falls in. Counts published over the months that
 * have ended stop before it: a month still running moves with each visit.
 */
export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The ISO weekday (1 = Monday … 7 = Sunday) of a `YYYY-MM-DD` day. */
export function isoWeekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
}

/** The UTC instant of a Brussels wall-clock time (`HH:MM`) on a day, summer time included. */
export function brusselsInstant(day: string, time = '00:00'): Date {
  const guess = new Date(`${day}T${time}:00Z`);
  // The offset of Brussels at that instant: the wall-clock difference between the two zones.
  const local = new Date(guess.toLocaleString('en-US', { timeZone: NETWORK_TIME_ZONE }));
  const utc = new Date(guess.toLocaleString('en-US', { timeZone: 'UTC' }));
  return new Date(guess.getTime() - (local.getTime() - utc.getTime()));
}
