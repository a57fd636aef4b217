import { z } from 'zod';
import { durationMs } from '../config/duration';
import { timeIntervalsSchema, zoneName, type TimeIntervals } from './interval-config';

export { timeIntervalsSchema, zoneName, type TimeIntervals };

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
/** Shorter periods would be a message per alert with extra steps; tests use 10s. */
export const MIN_DIGEST_MS = 10_000;

/** "09:00" or, for a weekly digest, "monday 09:00": when a period ends, in local time. */
const atSchema = z.string().transform((text, ctx) => {
  const match = /^(?:([a-z]+)\s+)?([01]\d|2[0-3]):([0-5]\d)$/i.exec(text.trim());
  const weekday = match?.[1] ? WEEKDAYS.indexOf(match[1].toLowerCase()) : undefined;
  if (!match || weekday === -1) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a local time "HH:MM" (or "monday 09:00" for a weekly digest)` });
    return z.NEVER;
  }
  return { minute: Number(match[2]) * 60 + Number(match[3]), ...(weekday !== undefined && { weekday }) };
});

/**
 * `digest: 1h`, or `digest: { every: 1d, at: "09:00" }`. Without `at`, periods are multiples of
 * `every` since the epoch (so every process agrees on them); a day or a week without `at` ends at
 * local midnight (a week on Monday), which is what "daily" means to a reader.
 */
export const digestSchema = z
  // A bare duration is `every` alone; one object schema then reports every problem with its path.
  .preprocess((value) => (typeof value === 'object' && value !== null ? value : { every: value }), z.object({ every: durationMs, at: atSchema.optional() }).strict())
  .superRefine((digest, ctx) => {
    if (digest.every < MIN_DIGEST_MS) ctx.addIssue({ code: 'custom', message: `a digest period must be at least 10s (got ${digest.every} ms)`, path: ['every'] });
    const at = digest.at;
    if (at && digest.every !== DAY_MS && digest.every !== WEEK_MS) {
      ctx.addIssue({ code: 'custom', message: '"at" needs a daily or weekly period (every: 1d or 1w)', path: ['at'] });
    }
    if (at?.weekday !== undefined && digest.every !== WEEK_MS) {
      ctx.addIssue({ code: 'custom', message: 'a weekday in "at" needs a weekly period (every: 1w)', path: ['at'] });
    }
  })
  .transform((digest) => {
    const at = digest.at;
    if (digest.every === DAY_MS || digest.every === WEEK_MS) {
      return { every: digest.every, at: { minute: at?.minute ?? 0, ...(digest.every === WEEK_MS && { weekday: at?.weekday ?? 1 }) } };
    }
    return { every: digest.every };
  });

export type DigestConfig = z.output<typeof digestSchema>;

const intervalNames = z.array(z.string()).nonempty();

/** A route's policy fields (DESIGN "Notification policy"); route/config.ts adds them to a route. */
export const routePolicyFields = {
  digest: digestSchema.optional(),
  /** Held while any of these intervals is active; one summary of what was held when it ends. */
  mute: intervalNames.optional(),
  /** Held unless one of these intervals is active (Alertmanager's active_time_intervals). */
  active: intervalNames.optional(),
};

export interface RoutePolicyConfig {
  digest?: DigestConfig;
  mute?: string[];
  active?: string[];
}

/** Interval names a route uses that `timeIntervals` does not define, with their config paths. */
export function unknownIntervals(route: RoutePolicyConfig, intervals: TimeIntervals): Array<{ path: (string | number)[]; message: string }> {
  const known = Object.keys(intervals);
  return (['mute', 'active'] as const).flatMap((field) =>
    (route[field] ?? []).flatMap((name, i) =>
      name in intervals ? [] : [{ path: [field, i], message: `no time interval named "${name}" in timeIntervals${known.length ? ` (defined: ${known.join(', ')})` : ''}` }],
    ),
  );
}
