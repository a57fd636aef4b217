import type { DigestConfig } from './config';
import type { TimeInterval } from './interval-config';
import { boundariesAfter, intervalActive } from './time-interval';
import { addDays, instantOf, localTimeOf } from './zoned-time';

/** A route's policy with its intervals looked up: everything planning needs, and nothing else. */
export interface Policy {
  digest?: DigestConfig;
  mute: ReadonlyArray<readonly TimeInterval[]>;
  active: ReadonlyArray<readonly TimeInterval[]>;
  /** The zone of a digest's `at` (the top-level `timezone`). */
  timezone: string;
}

export interface Period {
  start: number;
  end: number;
}

/** How far ahead an unmute is looked for; an interval muting for longer is released then. */
const HORIZON_DAYS = 400;
const STEP_DAYS = 8;

/**
 * The digest period `now` falls in: [start, end). Without `at`, multiples of `every` since the
 * epoch; with it, from one local `at` (on `weekday` for a week) to the next, so "09:00" stays
 * 09:00 across a daylight-saving change (that day's period is 23 or 25 hours long).
 */
export function digestPeriod(digest: DigestConfig, now: number, zone: string): Period {
  if (!('at' in digest) || !digest.at) {
    const start = Math.floor(now / digest.every) * digest.every;
    return { start, end: start + digest.every };
  }
  const { minute, weekday } = digest.at;
  const today = localTimeOf(now, zone);
  const stepDays = weekday === undefined ? 1 : 7;
  // The first matching local date whose `at` is after now, within a step and a day.
  for (let d = -1; d <= stepDays; d += 1) {
    const date = addDays(today, d);
    if (weekday !== undefined && (today.weekday + d + 7) % 7 !== weekday) continue;
    const end = instantOf(date, minute, zone);
    if (end > now) return { start: instantOf(addDays(date, -stepDays), minute, zone), end };
  }
  throw new Error(`no digest period end found after ${new Date(now).toISOString()}`);
}

/** Held now: a mute interval is active, or `active` names intervals and none is. */
export function isMuted(policy: Policy, ms: number): boolean {
  if (policy.mute.some((entries) => intervalActive(entries, ms))) return true;
  return policy.active.length > 0 && !policy.active.some((entries) => intervalActive(entries, ms));
}

/** The first instant after `ms` at which the policy no longer mutes (bounded by the horizon). */
export function unmutedAt(policy: Policy, ms: number): number {
  const entries = [...policy.mute, ...policy.active].flat();
  const horizon = ms + HORIZON_DAYS * 86_400_000;
  let from = ms;
  while (from < horizon) {
    const points = boundariesAfter(entries, from, STEP_DAYS);
    const free = points.find((at) => !isMuted(policy, at));
    if (free !== undefined) return free;
    from = points.at(-1) ?? from + STEP_DAYS * 86_400_000;
  }
  return horizon;
}

export interface Hold {
  kind: 'digested' | 'muted';
  /** When the summary carrying this alert is sent: a digest period's end, moved past any mute. */
  end: number;
  /** Where the summary's period starts. */
  start: number;
}

/**
 * Whether an alert at `now` is held, and until when. A digest holds it to its period's end; a
 * mute to the mute's end; a digest period ending inside a mute waits for the mute to end, so
 * quiet hours stay quiet. Undefined: send at once.
 */
export function planHold(policy: Policy, now: number): Hold | undefined {
  const muted = isMuted(policy, now);
  if (!policy.digest && !muted) return undefined;
  let { start, end } = policy.digest ? digestPeriod(policy.digest, now, policy.timezone) : { start: now, end: unmutedAt(policy, now) };
  for (let guard = 0; guard < 100 && isMuted(policy, end); guard += 1) end = unmutedAt(policy, end);
  if (!policy.digest) start = Math.min(start, now);
  return { kind: muted ? 'muted' : 'digested', start, end };
}
