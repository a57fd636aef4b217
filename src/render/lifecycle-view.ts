import type { Locale } from './locales/locale';
import { translate } from './locales';
import { Escaped } from './escaped';
import type { Format } from './formats';

/**
 * Where an incident stands, for its living message and follow-ups (README, "One message per
 * incident"). Times are ms since epoch.
 */
export interface LifecycleFacts {
  /** Notifications of this incident so far, the first included. */
  count: number;
  firstFiredAt: number;
  lastSeenAt?: number;
  assignee?: string;
  /** Ended by Sentry's ignore/archive rather than a fix. */
  archived?: boolean;
  /** When it ended (resolved or archived). */
  endedAt?: number;
}

/** What templates see as `lifecycle`: `{{lifecycle.count}}`, `{{#if lifecycle.repeated}}`, `{{lifecycle.lasted}}`, … */
export function lifecycleView(facts: LifecycleFacts, format: Format, locale: Locale) {
  const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : undefined);
  return {
    count: facts.count,
    repeated: facts.count > 1,
    firedAt: iso(facts.firstFiredAt),
    lastSeenAt: iso(facts.lastSeenAt ?? facts.firstFiredAt),
    assignee: facts.assignee ? new Escaped(facts.assignee, format.escape) : undefined,
    archived: facts.archived === true,
    ended: facts.endedAt !== undefined,
    lasted: facts.endedAt !== undefined ? durationText(facts.endedAt - facts.firstFiredAt, locale) : undefined,
  };
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": how long an incident lasted. */
export function durationText(ms: number, locale: Locale): string {
  const part = (unit: 'days' | 'hours' | 'minutes' | 'seconds', count: number) => translate(locale, `duration.${unit}`, { count });
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return part('seconds', seconds);
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return part('minutes', minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? part('hours', hours) : `${part('hours', hours)} ${part('minutes', minutes % 60)}`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? part('days', days) : `${part('days', days)} ${part('hours', hours % 24)}`;
}
