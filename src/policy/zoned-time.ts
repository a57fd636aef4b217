/**
 * Wall-clock arithmetic in an IANA zone with Intl alone: what a local calendar says at an instant,
 * and which instant a local date and time is. Daylight saving is the zone database's business;
 * the one choice made here is what a wall time that does not exist (spring forward) or exists
 * twice (fall back) means: the first instant at or after it, as cron and Alertmanager's Go time do.
 */
export interface LocalTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0 = Sunday, as Alertmanager numbers weekdays. */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** Whether the runtime knows the zone (config validation). */
export function isKnownZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

function fields(ms: number, zone: string): Record<string, string> {
  return Object.fromEntries(formatter(zone).formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
}

export function localTimeOf(ms: number, zone: string): LocalTime {
  const f = fields(ms, zone);
  return { year: Number(f.year), month: Number(f.month), day: Number(f.day), weekday: WEEKDAYS[f.weekday!] ?? 0, minute: Number(f.hour) * 60 + Number(f.minute) };
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(ms: number, zone: string): number {
  const f = fields(ms, zone);
  const wall = Date.UTC(Number(f.year), Number(f.month) - 1, Number(f.day), Number(f.hour), Number(f.minute), Number(f.second));
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which the zone's clocks show `minute` minutes after midnight of the given date
 * (minute may be 1440 or more: it rolls into the next days). In a spring-forward gap, the moment
 * the clocks jump; of a fall-back's two instants, the earlier.
 */
export function instantOf(date: { year: number; month: number; day: number }, minute: number, zone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minute);
  // Offsets either side of the wanted wall time; one of them is right unless it falls in a gap.
  const candidates = [wall - offsetAt(wall - 86_400_000, zone), wall - offsetAt(wall + 86_400_000, zone)].sort((a, b) => a - b);
  const shows = (ms: number) => ms + offsetAt(ms, zone);
  const exact = candidates.find((ms) => shows(ms) === wall);
  if (exact !== undefined) return exact;
  // In a gap the wall time never shows: the first minute whose wall time is past it is the jump.
  let lo = candidates[0]!;
  let hi = candidates[1]!;
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (shows(mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Days in a month (month 1-12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar date `days` after the given one. */
export function addDays(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
