import type { Locale } from './locales/locale';
import { SOURCE_NAMES, type AlertEvent } from '../normalize/event';
import { Escaped } from './escaped';
import type { Format } from './formats';

/**
 * What a template sees: every text value wrapped so the channel's escaping applies, links
 * wrapped with the channel's link escaping, and `locale`, which the `t` and `ago` helpers read
 * from the root of the data (it is the channel's, not the process's).
 */
export function buildViewModel(event: AlertEvent, format: Format, locale: Locale) {
  const text = (value: string | undefined) => (value ? new Escaped(value, format.escape) : undefined);
  const link = (value: string | undefined) => {
    const url = safeUrl(value);
    return url ? new Escaped(url, format.escapeUrl) : undefined;
  };
  const pairs = (record: Record<string, string>) =>
    Object.entries(record).map(([name, value]) => ({ name: new Escaped(name, format.escape), value: new Escaped(value, format.escape) }));
  return {
    locale,
    source: event.source,
    sourceName: SOURCE_NAMES[event.source],
    status: event.status,
    isResolved: event.status === 'resolved',
    isFiring: event.status === 'firing',
    severity: event.severity,
    title: text(event.title),
    message: text(event.message),
    culprit: text(event.culprit),
    project: text(event.project),
    environment: text(event.environment),
    release: text(event.release),
    url: link(event.url),
    occurredAt: event.occurredAt,
    endedAt: event.endedAt,
    count: event.count,
    userCount: event.userCount,
    dedupKey: text(event.dedupKey),
    labels: pairs(event.labels),
    annotations: pairs(event.annotations),
    label: Object.fromEntries(Object.entries(event.labels).map(([k, v]) => [k, new Escaped(v, format.escape)])),
    annotation: Object.fromEntries(Object.entries(event.annotations).map(([k, v]) => [k, new Escaped(v, format.escape)])),
    extra: Object.fromEntries(
      // Only http(s) links for `…Url` keys (runbookUrl): the same rule as `url`.
      Object.entries(event.extra).map(([k, v]) => [k, typeof v !== 'string' ? v : /url$/i.test(k) ? link(v) : text(v)]),
    ),
  };
}

/** Only http(s) links reach a message: a `javascript:` or `tg:` link from a payload is dropped. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
