import type { HelperDelegate } from 'handlebars';
import { Escaped, plain } from './escaped';

const SEVERITY_EMOJI: Record<string, string> = { critical: '🔴', error: '🟠', warning: '🟡', info: '🔵' };

/**
 * Helpers for template authors (README, "Templates"). Text helpers take the plain value and
 * return it wrapped again, so their output is escaped for the channel like any other value.
 */
export function createHelpers(escape: (text: string) => string, timezone: string, now: () => Date): Record<string, HelperDelegate> {
  const wrap = (text: string) => new Escaped(text, escape);
  return {
    severityEmoji: (severity: unknown, status: unknown) =>
      plain(status) === 'resolved' ? '✅' : (SEVERITY_EMOJI[plain(severity)] ?? '⚪'),
    upper: (value: unknown) => wrap(plain(value).toUpperCase()),
    truncate: (value: unknown, max: unknown) => wrap(truncateText(plain(value), typeof max === 'number' ? max : 200)),
    join: (list: unknown, separator: unknown) => {
      const items = Array.isArray(list) ? list : [];
      const sep = typeof separator === 'string' ? separator : ', ';
      return wrap(items.map((item: unknown) => (isPair(item) ? `${plain(item.name)}=${plain(item.value)}` : plain(item))).join(sep));
    },
    eq: (a: unknown, b: unknown) => plain(a) === plain(b),
    default: (value: unknown, fallback: unknown) => (plain(value) === '' ? fallback : value),
    time: (value: unknown) => wrap(formatTime(plain(value), timezone)),
    ago: (value: unknown) => wrap(formatAgo(plain(value), now())),
  };
}

function isPair(item: unknown): item is { name: unknown; value: unknown } {
  return typeof item === 'object' && item !== null && 'name' in item && 'value' in item;
}

/** Cuts by code points, so an emoji or a CJK character is never split. */
export function truncateText(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

export function formatTime(iso: string, timezone: string): string {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${part('timeZoneName')}`;
}

export function formatAgo(iso: string, now: Date): string {
  const ms = now.getTime() - new Date(iso).getTime();
  if (!iso || Number.isNaN(ms)) return '';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} d ago`;
}
