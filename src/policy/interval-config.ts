import { z } from 'zod';
import { isKnownZone } from './zoned-time';

/** An inclusive range of numbers, as Alertmanager parses "monday:friday", "1:5" or "-3:-1". */
export interface Range {
  begin: number;
  end: number;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/**
 * One "a" or "a:b" item. Names are case-insensitive, as in Alertmanager; `member` maps one side
 * to a number or says why it cannot.
 */
function rangeOf(member: (text: string) => number | string, check: (range: Range) => string | undefined) {
  return z.union([z.string(), z.number().int()]).transform((raw, ctx): Range => {
    const parts = String(raw).toLowerCase().trim().split(':');
    if (parts.length > 2) {
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not a value or a "start:end" range` });
      return z.NEVER;
    }
    const sides = parts.map(member);
    const bad = sides.find((side): side is string => typeof side === 'string');
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: bad });
      return z.NEVER;
    }
    const range = { begin: sides[0] as number, end: (sides[1] ?? sides[0]) as number };
    const problem = check(range);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return range;
  });
}

const integer = (text: string, what: string): number | string => (/^-?\d+$/.test(text) ? Number(text) : `"${text}" is not a valid ${what}`);

const weekday = rangeOf(
  (text) => (WEEKDAYS.includes(text) ? WEEKDAYS.indexOf(text) : `"${text}" is not a weekday (${WEEKDAYS.join(', ')})`),
  (r) => (r.begin > r.end ? 'start day cannot be after end day (Sunday is the first day)' : undefined),
);

const dayOfMonth = rangeOf(
  (text) => {
    const n = integer(text, 'day of the month');
    return typeof n === 'number' && (n === 0 || n < -31 || n > 31) ? `${n} is not a valid day of the month: 1 to 31, or -1 (the last day) to -31` : n;
  },
  (r) => {
    if (r.begin < 0 && r.end > 0) return 'end day must be negative if start day is negative';
    // A negative day counts from the month's end: compare them in the shortest month, as Alertmanager does.
    const at = (n: number) => (n < 0 ? 28 + n : n);
    return at(r.begin) > at(r.end) ? `end day ${r.end} is always before start day ${r.begin}` : undefined;
  },
);

const month = rangeOf(
  (text) => {
    if (MONTHS.includes(text)) return MONTHS.indexOf(text) + 1;
    const n = integer(text, 'month');
    return typeof n === 'number' && (n < 1 || n > 12) ? `${n} is not a month (1-12 or a name)` : n;
  },
  (r) => (r.begin > r.end ? `end month ${r.end} is before start month ${r.begin}` : undefined),
);

const year = rangeOf(
  (text) => integer(text, 'year'),
  (r) => (r.begin > r.end ? `end year ${r.end} is before start year ${r.begin}` : undefined),
);

/** "HH:MM", 00:00 to 24:00, as minutes since midnight. */
const clock = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time of day as "HH:MM" (00:00 to 24:00)').transform((text) => {
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + m!;
});

const timeRange = z
  .object({ start_time: clock, end_time: clock })
  .strict()
  .refine((r) => r.start_time < r.end_time, { message: 'start_time must be before end_time (end_time is exclusive; use 24:00 for midnight)', path: ['end_time'] })
  .transform((r) => ({ startMinute: r.start_time, endMinute: r.end_time }));

export const zoneName = z.string().refine(isKnownZone, { message: 'not a known IANA time zone (e.g. UTC, Asia/Shanghai, Europe/Berlin)' });

/** One entry of an interval, in Alertmanager's time_intervals shape: every field given must match. */
export const timeIntervalSchema = z
  .object({
    times: z.array(timeRange).optional(),
    weekdays: z.array(weekday).optional(),
    days_of_month: z.array(dayOfMonth).optional(),
    months: z.array(month).optional(),
    years: z.array(year).optional(),
    location: zoneName.optional(),
  })
  .strict();

export type TimeInterval = z.output<typeof timeIntervalSchema>;

/** `timeIntervals: { name: [entries] }`: a named interval is active when any of its entries is. */
export const timeIntervalsSchema = z.record(z.string().regex(/^[\w.-]+$/, 'letters, digits, "_", "-" and "." only'), z.array(timeIntervalSchema).nonempty()).default({});

export type TimeIntervals = z.output<typeof timeIntervalsSchema>;
