// Days as the agencies live them: calendar days in Brussels, as ISO strings.
const brusselsDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Brussels',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today in Brussels, for example `2026-11-23` (a UTC day would be wrong around midnight). */
export function today(now: Date = new Date()): string {
  return brusselsDay.format(now);
}

/** The calendar day `days` after (or before, when negative) an ISO day. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
