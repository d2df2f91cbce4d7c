// Days as the agencies live them: calendar days in Brussels, as ISO strings.
import { brusselsDate } from '@passerelle/service';

export { addDays } from '@passerelle/service';

/** Today in Brussels, for example `2026-11-23`. */
export function today(now: Date = new Date()): string {
  return brusselsDate(now);
}
