// Days as homework schools count them: in Brussels local time, with school years running from
// September to June. The Brussels calendar itself is shared by every subgraph.
export {
  addDays,
  brusselsDate,
  brusselsInstant,
  isoWeekday,
  monthStart,
} from '@passerelle/service';

/** The school year a day belongs to, for example `2026-2027` from August 2026 to July 2027. */
export function schoolYearOf(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return month >= 8 ? `${year}-${year + 1}` : `${year - 1}-${year}`;
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
