import type { Range, TimeInterval } from './interval-config';
import { addDays, daysInMonth, instantOf, localTimeOf, type LocalTime } from './zoned-time';

const inAny = (ranges: readonly Range[] | undefined, value: number) => !ranges || ranges.some((r) => value >= r.begin && value <= r.end);

/**
 * Whether the interval entry contains the instant, with Alertmanager's rules (its
 * timeinterval.ContainsTime): times are in `location` (UTC without one), start inclusive, end
 * exclusive; negative days of the month count from its end; a range starting past the month's
 * last day does not match, one ending past it stops at the last day.
 */
export function containsTime(interval: TimeInterval, ms: number): boolean {
  const local = localTimeOf(ms, interval.location ?? 'UTC');
  if (interval.times && !interval.times.some((t) => local.minute >= t.startMinute && local.minute < t.endMinute)) return false;
  return dayMatches(interval, local);
}

function dayMatches(interval: TimeInterval, local: Pick<LocalTime, 'year' | 'month' | 'day' | 'weekday'>): boolean {
  if (interval.days_of_month) {
    const last = daysInMonth(local.year, local.month);
    const matches = interval.days_of_month.some((r) => {
      const begin = r.begin < 0 ? last + r.begin + 1 : r.begin;
      const end = Math.min(r.end < 0 ? last + r.end + 1 : r.end, last);
      return begin <= last && local.day >= begin && local.day <= end;
    });
    if (!matches) return false;
  }
  return inAny(interval.months, local.month) && inAny(interval.weekdays, local.weekday) && inAny(interval.years, local.year);
}

/** Whether any entry of a named interval contains the instant. */
export function intervalActive(entries: readonly TimeInterval[], ms: number): boolean {
  return entries.some((entry) => containsTime(entry, ms));
}

/**
 * The instants after `ms`, within `days` local days, at which an entry can start or stop
 * matching: its local midnights and its times' starts and ends. Between two of them every
 * entry's answer is constant, so the next change of a rule built from entries is among them.
 */
export function boundariesAfter(entries: readonly TimeInterval[], ms: number, days: number): number[] {
  const points = new Set<number>();
  for (const entry of entries) {
    const zone = entry.location ?? 'UTC';
    const today = localTimeOf(ms, zone);
    const minutes = [0, ...(entry.times ?? []).flatMap((t) => [t.startMinute, t.endMinute])];
    for (let d = 0; d <= days; d += 1) {
      const date = addDays(today, d);
      for (const minute of minutes) {
        const at = instantOf(date, minute, zone);
        if (at > ms) points.add(at);
      }
    }
  }
  return [...points].sort((a, b) => a - b);
}
