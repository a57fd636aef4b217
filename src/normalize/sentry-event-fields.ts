import type { SentryEvent, SentryFrame, SentryMetadata } from './sentry-event-payload';
import { firstText } from './pick';
import { epochSecondsToIso, toIsoTime } from './time';

export interface ExceptionSummary {
  type?: string;
  value?: string;
}

/** The raised exception: with chained exceptions it is the LAST of `exception.values`. */
export function exceptionOf(event: SentryEvent): ExceptionSummary {
  const values = (event.exception?.values ?? []).filter((value) => value !== null);
  const raised = values.at(-1);
  if (raised && (firstText(raised.type) || firstText(raised.value))) {
    return { type: firstText(raised.type), value: firstText(raised.value) };
  }
  return metadataException(event.metadata);
}

/** Issues, and events of old Sentry versions, only have the exception in `metadata`. */
export function metadataException(metadata: SentryMetadata | null | undefined): ExceptionSummary {
  return { type: firstText(metadata?.type), value: firstText(metadata?.value) };
}

/** `file:line in function` of the crashing in-app frame; frames run oldest -> newest. */
export function topFrame(event: SentryEvent): string | undefined {
  const frames = framesOf(event);
  const frame = [...frames].reverse().find((f) => f.in_app === true) ?? frames.at(-1);
  return frame ? describeFrame(frame) : undefined;
}

function framesOf(event: SentryEvent): SentryFrame[] {
  const stacks = [...(event.exception?.values ?? []).map((value) => value?.stacktrace), event.stacktrace];
  // The raised exception's stack first, then its causes, then a message event's own stack.
  const ordered = [...stacks.slice(0, -1).reverse(), stacks.at(-1)];
  for (const stack of ordered) {
    const frames = (stack?.frames ?? []).filter((frame): frame is SentryFrame => frame !== null && describeFrame(frame) !== undefined);
    if (frames.length > 0) return frames;
  }
  return [];
}

function describeFrame(frame: SentryFrame): string | undefined {
  const file = firstText(frame.filename, frame.abs_path, frame.module);
  const fn = firstText(frame.function);
  const where = file && typeof frame.lineno === 'number' ? `${file}:${frame.lineno}` : file;
  if (where && fn) return `${where} in ${fn}`;
  return where ?? fn;
}

/** docs/payloads.md §5: event.title, then the log message, then (old versions) the metadata, then the culprit. */
export function eventTitle(event: SentryEvent, ...fallbacks: (string | null | undefined)[]): string {
  return (
    firstText(event.title, event.message, event.logentry?.formatted, metadataTitle(event.metadata), ...fallbacks, event.culprit) ??
    '<unlabeled event>'
  );
}

// Old Sentry versions send events without `title`; Sentry itself builds it from the metadata.
function metadataTitle(metadata: SentryMetadata | null | undefined): string | undefined {
  const { type, value } = metadataException(metadata);
  return firstText(metadata?.title) ?? (type && value ? `${type}: ${value.split('\n')[0]}` : type);
}

/** Text the title does not already show in full: the log message, else the (untruncated) exception value. */
export function eventMessage(event: SentryEvent, title: string, exception: ExceptionSummary): string | undefined {
  for (const text of [event.logentry?.formatted, event.message, exception.value]) {
    if (text && text.trim() !== '' && !title.includes(text.trim())) return text;
  }
  return undefined;
}

/** The project slug from `/api/0/projects/<org>/<slug>/events/<id>/`: events carry only a numeric project id. */
export function projectSlugFromUrl(url: string | null | undefined): string | undefined {
  const match = url?.match(/\/api\/0\/projects\/[^/]+\/([^/]+)\/events\//);
  return match?.[1] ? decodedOrAsIs(match[1]) : undefined;
}

// A malformed escape (`%E0%A4%A`) in sender-supplied text is shown as sent, never a 500.
function decodedOrAsIs(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Tag pairs as labels; the legacy plugin's "sentry:" prefix is dropped so routes see one vocabulary. */
export function tagsToLabels(tags: SentryEvent['tags']): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of tags ?? []) {
    if (value !== null) labels[key.replace(/^sentry:/, '')] = value;
  }
  return labels;
}

export function eventOccurredAt(event: SentryEvent, now: Date): string {
  return toIsoTime(event.datetime) ?? epochSecondsToIso(event.timestamp) ?? epochSecondsToIso(event.received) ?? now.toISOString();
}
