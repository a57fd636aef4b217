import type { AlertEvent } from '../normalize/event';
import { Escaped } from './escaped';

const SOURCE_NAMES = { sentry: 'Sentry', alertmanager: 'Alertmanager', test: 'Test' } as const;

/** What a template sees: every text value wrapped so the channel's escaping applies. */
export function buildViewModel(event: AlertEvent, escape: (text: string) => string) {
  const text = (value: string | undefined) => (value ? new Escaped(value, escape) : undefined);
  const pairs = (record: Record<string, string>) =>
    Object.entries(record).map(([name, value]) => ({ name: new Escaped(name, escape), value: new Escaped(value, escape) }));
  return {
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
    url: text(safeUrl(event.url)),
    occurredAt: event.occurredAt,
    endedAt: event.endedAt,
    count: event.count,
    userCount: event.userCount,
    dedupKey: text(event.dedupKey),
    labels: pairs(event.labels),
    annotations: pairs(event.annotations),
    label: Object.fromEntries(Object.entries(event.labels).map(([k, v]) => [k, new Escaped(v, escape)])),
    annotation: Object.fromEntries(Object.entries(event.annotations).map(([k, v]) => [k, new Escaped(v, escape)])),
    extra: Object.fromEntries(
      Object.entries(event.extra).map(([k, v]) => [k, typeof v === 'string' ? text(safeExtra(k, v)) : v]),
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

function safeExtra(key: string, value: string): string | undefined {
  return /url$/i.test(key) ? safeUrl(value) : value;
}
