// Days as homework schools count them: in Brussels local time, with school years running from
// September to June.
const brusselsDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Brussels',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The day it is in Brussels at this instant, as `YYYY-MM-DD`. */
export function brusselsDate(at: Date): string {
  return brusselsDay.format(at);
}

/** The school year a day belongs to, for example `2026-2027` from August 2026 to July 2027. */
export function schoolYearOf(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return month >= 8 ? `${year}-${year + 1}` : `${year - 1}-${year}`;
}

/** Adds whole days to a `YYYY-MM-DD` day. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The ISO weekday (1 = Monday … 7 = Sunday) of a `YYYY-MM-DD` day. */
export function isoWeekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
}

/** The UTC instant of a Brussels wall-clock time on a day (`HH:MM`), summer time included. */
export function brusselsInstant(day: string, time: string): Date {
  const guess = new Date(`${day}T${time}:00Z`);
  // The offset of Brussels at that instant: the wall-clock difference between the two zones.
  const local = new Date(guess.toLocaleString('en-US', { timeZone: 'Europe/Brussels' }));
  const utc = new Date(guess.toLocaleString('en-US', { timeZone: 'UTC' }));
  return new Date(guess.getTime() - (local.getTime() - utc.getTime()));
}

export const WEEKDAYS = [
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
  'SUNDAY',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];
