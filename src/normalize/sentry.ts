import type { z } from 'zod';
import { bounded } from './bounded-event';
import type { AlertEvent } from './event';
import { glitchtipPayloadSchema } from './glitchtip-payload';
import { looksLikeGlitchtip, normalizeGlitchtip } from './glitchtip';
import { describeZodError, ignored, invalid, type ParseResult } from './parse-result';
import { ownValue } from './pick';
import { shortText } from './short-text';
import {
  sentryActionSchema,
  sentryErrorEnvelopeSchema,
  sentryEventAlertEnvelopeSchema,
  sentryIssueEnvelopeSchema,
  sentryLegacySchema,
  sentryMetricAlertEnvelopeSchema,
} from './sentry-payload';
import { normalizeSentryError, normalizeSentryEventAlert } from './sentry-event';
import { normalizeSentryIssue } from './sentry-issue';
import { looksLikeLegacyPlugin, normalizeSentryLegacy } from './sentry-legacy';
import { normalizeSentryMetricAlert } from './sentry-metric-alert';
import { DEFAULT_SENTRY_NOTIFY_ON, editsOnly, isKnownAction, notifies, type SentryNotifyOn, type SentryNotifyResource } from './sentry-notify-on';

// Unknown resources and actions are acknowledged, not refused: a 4xx only fills Sentry's request
// log, and Sentry adds resources over time (docs/payloads.md §1.4).
const IGNORED_RESOURCES: Readonly<Record<string, string>> = {
  installation: 'installation webhooks need no message',
  comment: 'issue comments need no message',
  seer: 'Seer progress updates need no message',
};

const EXPECTED_BODIES =
  'expected a Sentry Integration Platform webhook (with a Sentry-Hook-Resource header), ' +
  'a legacy WebHooks plugin body (project_slug or project_name, and event) ' +
  'or a GlitchTip webhook (text and attachments)';

/**
 * Sentry or GlitchTip webhook body (unknown JSON) -> events, "ignored" or "invalid".
 * `resource` is the Sentry-Hook-Resource header: present on Integration Platform webhooks,
 * absent on the legacy WebHooks plugin and GlitchTip, which are told apart by their shape.
 * `now` is used only when the body carries no time at all.
 */
export function parseSentry(
  resource: string | undefined,
  body: unknown,
  now: Date = new Date(),
  notifyOn: SentryNotifyOn = DEFAULT_SENTRY_NOTIFY_ON,
): ParseResult {
  return bounded(parseAnySentry(resource, body, now, notifyOn));
}

function parseAnySentry(resource: string | undefined, body: unknown, now: Date, notifyOn: SentryNotifyOn): ParseResult {
  const hookResource = resource?.trim().toLowerCase();
  if (hookResource) return parseIntegration(hookResource, body, now, notifyOn);
  if (looksLikeLegacyPlugin(body)) {
    const parsed = sentryLegacySchema.safeParse(body);
    if (!parsed.success) return invalid(`not a valid Sentry legacy WebHooks plugin body: ${describeZodError(parsed.error)}`);
    return events(normalizeSentryLegacy(parsed.data, now));
  }
  if (looksLikeGlitchtip(body)) {
    const parsed = glitchtipPayloadSchema.safeParse(body);
    if (!parsed.success) return invalid(`not a valid GlitchTip webhook: ${describeZodError(parsed.error)}`);
    return events(...normalizeGlitchtip(parsed.data, now));
  }
  return invalid(EXPECTED_BODIES);
}

function parseIntegration(resource: string, body: unknown, now: Date, notifyOn: SentryNotifyOn): ParseResult {
  const envelope = <S extends z.ZodType<{ action: string }>>(name: SentryNotifyResource, schema: S, normalize: (e: z.output<S>) => AlertEvent) =>
    parseEnvelope(name, body, schema, notifyOn, normalize);
  switch (resource) {
    case 'issue':
      return envelope('issue', sentryIssueEnvelopeSchema, (e) => normalizeSentryIssue(e, now));
    case 'event_alert':
      return envelope('event_alert', sentryEventAlertEnvelopeSchema, (e) => normalizeSentryEventAlert(e, now));
    case 'error':
      return envelope('error', sentryErrorEnvelopeSchema, (e) => normalizeSentryError(e, now));
    case 'metric_alert':
      return envelope('metric_alert', sentryMetricAlertEnvelopeSchema, (e) => normalizeSentryMetricAlert(e, now));
    default:
      return ignored(ownValue(IGNORED_RESOURCES, resource) ?? `Sentry resource '${shortText(resource)}' needs no message`);
  }
}

/** The action is read first, so an action that needs no message is acknowledged whatever its data holds. */
function parseEnvelope<S extends z.ZodType<{ action: string }>>(
  resource: SentryNotifyResource,
  body: unknown,
  schema: S,
  notifyOn: SentryNotifyOn,
  normalize: (envelope: z.output<S>) => AlertEvent,
): ParseResult {
  const head = sentryActionSchema.safeParse(body);
  if (!head.success) return invalid(`not a valid Sentry ${resource} webhook: ${describeZodError(head.error)}`);
  const { action } = head.data;
  const lifecycleOnly = !notifies(notifyOn, resource, action) && editsOnly(resource, action);
  if (!notifies(notifyOn, resource, action) && !lifecycleOnly) {
    const why = isKnownAction(resource, action) ? `is not in sentry.notifyOn.${resource}` : 'needs no message';
    return ignored(`${resource} action '${shortText(action)}' ${why}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return invalid(`not a valid Sentry ${resource} webhook: ${describeZodError(parsed.error)}`);
  const event = normalize(parsed.data);
  return events(lifecycleOnly ? { ...event, extra: { ...event.extra, lifecycleOnly: 1 } } : event);
}

function events(...list: AlertEvent[]): ParseResult {
  return { kind: 'events', events: list };
}
