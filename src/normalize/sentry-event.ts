import type { AlertEvent } from './event';
import type { SentryEvent } from './sentry-event-payload';
import type { SentryErrorEnvelope, SentryEventAlertEnvelope } from './sentry-payload';
import {
  eventMessage,
  eventOccurredAt,
  eventTitle,
  exceptionOf,
  projectSlugFromUrl,
  tagsToLabels,
  topFrame,
} from './sentry-event-fields';
import { definedOnly, firstText } from './pick';
import { sentrySeverity } from './severity';

/** What differs between the senders of one Sentry event object (event_alert, error, legacy plugin). */
export interface SentryEventContext {
  dedupKey: string;
  identity: string;
  project?: string;
  url?: string;
  /** The legacy plugin puts the level and message next to the event, not only in it. */
  level?: string | null;
  titleFallbacks?: (string | null | undefined)[];
  extra?: Record<string, string | number | undefined>;
}

export function eventToAlert(event: SentryEvent, context: SentryEventContext, now: Date): AlertEvent {
  const labels = tagsToLabels(event.tags);
  const exception = exceptionOf(event);
  const title = eventTitle(event, ...(context.titleFallbacks ?? []));
  return {
    source: 'sentry',
    status: 'firing',
    severity: sentrySeverity(firstText(context.level, event.level, labels.level)),
    title,
    message: eventMessage(event, title, exception),
    culprit: topFrameOrCulprit(event),
    project: context.project,
    environment: firstText(event.environment, labels.environment),
    release: firstText(event.release, labels.release),
    url: context.url,
    labels,
    annotations: {},
    occurredAt: eventOccurredAt(event, now),
    dedupKey: context.dedupKey,
    identity: context.identity,
    extra: definedOnly({
      eventId: event.event_id,
      issueId: event.issue_id === null || event.issue_id === undefined ? undefined : String(event.issue_id),
      exceptionType: exception.type,
      exceptionValue: exception.value,
      platform: firstText(event.platform),
      ...context.extra,
    }),
  };
}

function topFrameOrCulprit(event: SentryEvent): string | undefined {
  return topFrame(event) ?? firstText(event.culprit, event.location);
}

/** Issue key when the event names its group (always, on current Sentry); else the event itself. */
function integrationDedupKey(installation: string, event: SentryEvent): string {
  const issueId = event.issue_id === null || event.issue_id === undefined ? '' : String(event.issue_id);
  return issueId ? `sentry:${installation}:issue:${issueId}` : `sentry:${installation}:event:${event.event_id}`;
}

export function normalizeSentryEventAlert(envelope: SentryEventAlertEnvelope, now: Date): AlertEvent {
  const { event, triggered_rule: rule } = envelope.data;
  const dedupKey = integrationDedupKey(envelope.installation.uuid, event);
  return eventToAlert(
    event,
    {
      dedupKey,
      // Two rules firing on one event are two notifications; a retry of one of them is not.
      identity: `${dedupKey}:event_alert.${envelope.action}:${event.event_id}:${rule ?? ''}`,
      project: projectSlugFromUrl(event.url),
      url: firstText(event.web_url),
      extra: { triggeredRule: firstText(rule), alertTitle: firstText(envelope.data.issue_alert?.title) },
    },
    now,
  );
}

export function normalizeSentryError(envelope: SentryErrorEnvelope, now: Date): AlertEvent {
  const event = envelope.data.error;
  const dedupKey = integrationDedupKey(envelope.installation.uuid, event);
  return eventToAlert(
    event,
    {
      dedupKey,
      identity: `${dedupKey}:error.${envelope.action}:${event.event_id}`,
      project: projectSlugFromUrl(event.url),
      url: firstText(event.web_url),
    },
    now,
  );
}
