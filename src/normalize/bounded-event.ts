import type { AlertEvent } from './event';
import { fixedKey } from './fixed-key';
import { CUT_MARK, LIMITS } from './limits';
import type { ParseResult } from './parse-result';

/** `value` cut to `max` code units including the mark, never splitting a surrogate pair. */
export function cut(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - CUT_MARK.length;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}${CUT_MARK}`;
}

/**
 * The normalized event with every sender string within LIMITS and fixed-length keys. Done once,
 * right after normalization, so every later stage (Redis, logs, templates) sees bounded values.
 * `extra.truncated` names the fields that were cut, for templates and for whoever reads the job.
 */
export function boundEvent(event: AlertEvent): AlertEvent {
  const cutFields = new Set<string>();
  const bound = <T extends string | undefined>(name: string, value: T, max: number): T => {
    if (value === undefined || value.length <= max) return value;
    cutFields.add(name);
    return cut(value, max) as T;
  };
  const map = (name: string, record: Readonly<Record<string, string>>, maxValue: number): Record<string, string> => {
    // Nearly every record is within its limits: checking is much cheaper than rebuilding it.
    if (withinLimits(record, maxValue)) return record;
    const entries = Object.entries(record);
    if (entries.length > LIMITS.entries) cutFields.add(name);
    return Object.fromEntries(
      entries.slice(0, LIMITS.entries).map(([key, value]) => [bound(name, key, LIMITS.labelName), bound(name, value, maxValue)]),
    );
  };
  const extra = Object.fromEntries(
    Object.entries(event.extra).map(([key, value]) => [bound('extra', key, LIMITS.labelName), typeof value === 'string' ? bound('extra', value, LIMITS.extraValue) : value]),
  );
  const bounded: AlertEvent = {
    ...event,
    title: bound('title', event.title, LIMITS.title),
    message: bound('message', event.message, LIMITS.message),
    culprit: bound('culprit', event.culprit, LIMITS.shortField),
    project: bound('project', event.project, LIMITS.shortField),
    environment: bound('environment', event.environment, LIMITS.shortField),
    release: bound('release', event.release, LIMITS.shortField),
    url: bound('url', event.url, LIMITS.url),
    labels: map('labels', event.labels, LIMITS.labelValue),
    annotations: map('annotations', event.annotations, LIMITS.annotationValue),
    occurredAt: bound('occurredAt', event.occurredAt, LIMITS.shortField),
    endedAt: bound('endedAt', event.endedAt, LIMITS.shortField),
    dedupKey: fixedKey(event.source, event.dedupKey),
    identity: fixedKey(event.source, event.identity),
    extra,
  };
  if (cutFields.size > 0) bounded.extra = { ...bounded.extra, truncated: [...cutFields].join(',') };
  return bounded;
}

function withinLimits(record: Readonly<Record<string, string>>, maxValue: number): boolean {
  let count = 0;
  for (const key in record) {
    count += 1;
    if (count > LIMITS.entries || key.length > LIMITS.labelName || record[key]!.length > maxValue) return false;
  }
  return true;
}

/** A parse result whose events are bounded; other results pass unchanged. */
export function bounded(result: ParseResult): ParseResult {
  return result.kind === 'events' ? { kind: 'events', events: result.events.map(boundEvent) } : result;
}
