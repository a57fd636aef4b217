import type { z } from 'zod';
import type { AlertEvent } from './event';
import { describeZodError, ignored, invalid, type ParseResult } from './parse-result';
import { ownValue } from './pick';
import {
  sentryActionSchema,
  sentryErrorEnvelopeSchema,
  sentryEventAlertEnvelopeSchema,
  sentryIssueEnvelopeSchema,
  sentryLegacySchema,
  sentryMetricAlertEnvelopeSchema,
} from './sentry-payload';
import { normalizeSentryError, normalizeSentryEventAlert } from './sentry-event';
import { isNotifyingIssueAction, normalizeSentryIssue } from './sentry-issue';
import { looksLikeLegacyPlugin, normalizeSentryLegacy } from './sentry-legacy';
import { isNotifyingMetricAlertAction, normalizeSentryMetricAlert } from './sentry-metric-alert';

// Unknown resources and actions are acknowledged, not refused: a 4xx only fills Sentry's request
// log, and Sentry adds resources over time (PAYLOADS.md §1.4).
const IGNORED_RESOURCES: Readonly<Record<string, string>> = {
  installation: 'installation webhooks need no message',
  comment: 'issue comments need no message',
  seer: 'Seer progress updates need no message',
};

/**
 * Sentry webhook body (unknown JSON) -> events, "ignored" or "invalid".
 * `resource` is the Sentry-Hook-Resource header: present on Integration Platform webhooks,
 * absent on the legacy WebHooks plugin. `now` is used only when the body carries no time at all.
 */
export function parseSentry(resource: string | undefined, body: unknown, now: Date = new Date()): ParseResult {
  const hookResource = resource?.trim().toLowerCase();
  if (hookResource) return parseIntegration(hookResource, body, now);
  if (looksLikeLegacyPlugin(body)) {
    const parsed = sentryLegacySchema.safeParse(body);
    if (!parsed.success) return invalid(`not a valid Sentry legacy WebHooks plugin body: ${describeZodError(parsed.error)}`);
    return events(normalizeSentryLegacy(parsed.data, now));
  }
  return invalid(
    'expected a Sentry Integration Platform webhook (with a Sentry-Hook-Resource header) ' +
      'or a legacy WebHooks plugin body (project_slug or project_name, and event)',
  );
}

function parseIntegration(resource: string, body: unknown, now: Date): ParseResult {
  switch (resource) {
    case 'issue':
      return parseEnvelope(resource, body, sentryIssueEnvelopeSchema, isNotifyingIssueAction, (envelope) =>
        normalizeSentryIssue(envelope, now),
      );
    case 'event_alert':
      return parseEnvelope(resource, body, sentryEventAlertEnvelopeSchema, (action) => action === 'triggered', (envelope) =>
        normalizeSentryEventAlert(envelope, now),
      );
    case 'error':
      return parseEnvelope(resource, body, sentryErrorEnvelopeSchema, (action) => action === 'created', (envelope) =>
        normalizeSentryError(envelope, now),
      );
    case 'metric_alert':
      return parseEnvelope(resource, body, sentryMetricAlertEnvelopeSchema, isNotifyingMetricAlertAction, (envelope) =>
        normalizeSentryMetricAlert(envelope, now),
      );
    default:
      return ignored(ownValue(IGNORED_RESOURCES, resource) ?? `Sentry resource '${resource}' needs no message`);
  }
}

/** The action is read first, so an action that needs no message is acknowledged whatever its data holds. */
function parseEnvelope<S extends z.ZodType<{ action: string }>>(
  resource: string,
  body: unknown,
  schema: S,
  handles: (action: string) => boolean,
  normalize: (envelope: z.output<S>) => AlertEvent,
): ParseResult {
  const head = sentryActionSchema.safeParse(body);
  if (!head.success) return invalid(`not a valid Sentry ${resource} webhook: ${describeZodError(head.error)}`);
  if (!handles(head.data.action)) return ignored(`${resource} action '${head.data.action}' needs no message`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) return invalid(`not a valid Sentry ${resource} webhook: ${describeZodError(parsed.error)}`);
  return events(normalize(parsed.data));
}

function events(...list: AlertEvent[]): ParseResult {
  return { kind: 'events', events: list };
}
