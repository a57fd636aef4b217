import type { AlertEvent } from './event';
import type { SentryEvent } from './sentry-event-payload';
import type { SentryLegacyPayload } from './sentry-payload';
import { eventToAlert } from './sentry-event';
import { firstText, urlHost } from './pick';

/** Body keys that only the legacy WebHooks plugin sends (docs/payloads.md §2); used when no Sentry-Hook-Resource header came. */
export function looksLikeLegacyPlugin(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const hasProject = 'project_name' in body || 'project_slug' in body;
  return hasProject && ('event' in body || 'culprit' in body);
}

export function normalizeSentryLegacy(body: SentryLegacyPayload, now: Date): AlertEvent {
  // Very old plugin versions sent no event: the body's own fields still make a notification.
  const event: SentryEvent = body.event ?? { event_id: '', culprit: body.culprit, message: body.message, level: body.level };
  const dedupKey = `sentry-legacy:${urlHost(body.url) ?? ''}:issue:${body.id}`;
  const rules = (body.triggering_rules ?? []).filter((rule) => rule.trim() !== '');
  return eventToAlert(
    event,
    {
      dedupKey,
      identity: `${dedupKey}:event:${event.event_id}`,
      project: firstText(body.project_slug, body.project),
      url: firstText(body.url),
      level: body.level,
      titleFallbacks: [body.message, body.culprit],
      extra: {
        issueId: body.id,
        eventId: firstText(event.event_id),
        projectName: firstText(body.project_name),
        triggeredRule: rules.length > 0 ? rules.join(', ') : undefined,
        logger: firstText(body.logger),
      },
    },
    now,
  );
}
