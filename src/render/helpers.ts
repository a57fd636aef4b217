import type { HelperDelegate, HelperOptions } from 'handlebars';
import { LOCALES, type Locale } from './locales/locale';
import { Escaped, plain } from './escaped';
import { formatAgo, formatTime } from './format-time';
import { translate } from './locales';

const SEVERITY_EMOJI: Record<string, string> = { critical: '🔴', error: '🟠', warning: '🟡', info: '🔵' };
// WeCom markdown knows three colours only: info (green), comment (grey), warning (orange-red).
const SEVERITY_COLOR: Record<string, string> = { critical: 'warning', error: 'warning', warning: 'warning', info: 'comment' };

/**
 * Helpers for template authors (README, "Templates"). Text helpers take the plain value and
 * return it wrapped again, so their output is escaped for the channel like any other value.
 * The locale comes from the view model's root (`locale`), since one Handlebars environment
 * serves every channel of a type, whatever language each channel speaks.
 */
export function createHelpers(escape: (text: string) => string, timezone: string, now: () => Date): Record<string, HelperDelegate> {
  const wrap = (text: string) => new Escaped(text, escape);
  return {
    severityEmoji: (severity: unknown, status: unknown) =>
      plain(status) === 'resolved' ? '✅' : (SEVERITY_EMOJI[plain(severity)] ?? '⚪'),
    severityColor: (severity: unknown, status: unknown) =>
      plain(status) === 'resolved' ? 'info' : (SEVERITY_COLOR[plain(severity)] ?? 'comment'),
    // {{t "since" time=(time occurredAt)}}; {{t "severity" severity}} looks up "severity.error".
    t: (...args: unknown[]) => {
      const options = args.pop() as HelperOptions;
      const params = Object.fromEntries(Object.entries(options.hash as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
      return wrap(translate(localeOf(options), args.map(plain).join('.'), params));
    },
    upper: (value: unknown) => wrap(plain(value).toUpperCase()),
    truncate: (value: unknown, max: unknown) => wrap(truncateText(plain(value), typeof max === 'number' ? max : 200)),
    join: (list: unknown, separator: unknown) => {
      const items = Array.isArray(list) ? list : [];
      const sep = typeof separator === 'string' ? separator : ', ';
      return wrap(items.map((item: unknown) => (isPair(item) ? `${plain(item.name)}=${plain(item.value)}` : plain(item))).join(sep));
    },
    eq: (a: unknown, b: unknown) => plain(a) === plain(b),
    // A literal fallback from the template is text too: escape it like a value.
    default: (value: unknown, fallback: unknown) => (plain(value) === '' ? wrap(plain(fallback)) : value),
    time: (value: unknown) => wrap(formatTime(plain(value), timezone)),
    ago: (value: unknown, options: HelperOptions) => wrap(formatAgo(plain(value), now(), localeOf(options))),
  };
}

function localeOf(options: HelperOptions): Locale {
  const locale: unknown = (options.data as { root?: { locale?: unknown } } | undefined)?.root?.locale;
  if (!LOCALES.includes(locale as Locale)) throw new Error(`the view model has no valid locale (got ${String(locale)})`);
  return locale as Locale;
}

function isPair(item: unknown): item is { name: unknown; value: unknown } {
  return typeof item === 'object' && item !== null && 'name' in item && 'value' in item;
}

/** Cuts by code points, so an emoji or a CJK character is never split. */
export function truncateText(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}
