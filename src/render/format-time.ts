import type { Locale } from './locales/locale';
import { translate } from './locales';

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu']);
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * `2026-11-22 18:00:00 GMT+8 (Asia/Shanghai)`, or `2026-11-22 10:00:00 UTC`: digits in the same
 * order in every language, the offset so a reader elsewhere can convert, and the zone's name
 * because an offset alone does not say whether daylight saving applies. Text that is not a
 * time is returned as it is.
 */
export function formatTime(iso: string, timezone: string): string {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return iso;
  const format = formatter(timezone);
  const parts = format.formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const zone = format.resolvedOptions().timeZone;
  const suffix = UTC_NAMES.has(zone) ? 'UTC' : `${part('timeZoneName')} (${zone})`;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${suffix}`;
}

/** `5 min ago`, `5 分钟前`, `5 мин назад`: short forms, which need no plural in any of the three. */
export function formatAgo(iso: string, now: Date, locale: Locale): string {
  const ms = now.getTime() - new Date(iso).getTime();
  if (!iso || Number.isNaN(ms)) return '';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return translate(locale, 'ago.now');
  if (minutes < 60) return translate(locale, 'ago.minutes', { count: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return translate(locale, 'ago.hours', { count: hours });
  return translate(locale, 'ago.days', { count: Math.round(hours / 24) });
}

// A DateTimeFormat is costly to build and the timezone is fixed for the process: build it once.
function formatter(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    });
    formatters.set(timezone, format);
  }
  return format;
}
