/**
 * Which Integration Platform actions become a message, per Sentry-Hook-Resource (config
 * `sentry.notifyOn`). The defaults notify what pages someone: a new or regressed issue, its
 * end (resolved, ignored/archived: an edit of the living message, or one follow-up on a robot),
 * alert rules and metric incidents. assigned only changes who works on it: it edits the living
 * message where a channel can edit, and posts a message only when listed here.
 */
export const SENTRY_ACTIONS = {
  issue: ['created', 'resolved', 'unresolved', 'assigned', 'ignored', 'archived'],
  event_alert: ['triggered'],
  error: ['created'],
  metric_alert: ['critical', 'warning', 'resolved'],
} as const;

export type SentryNotifyResource = keyof typeof SENTRY_ACTIONS;

export type SentryNotifyOn = { readonly [R in SentryNotifyResource]: readonly (typeof SENTRY_ACTIONS)[R][number][] };

export const DEFAULT_SENTRY_NOTIFY_ON: SentryNotifyOn = {
  issue: ['created', 'resolved', 'unresolved', 'ignored', 'archived'],
  event_alert: ['triggered'],
  error: ['created'],
  metric_alert: ['critical', 'warning', 'resolved'],
};

/** True when `action` of `resource` is configured to notify. */
export function notifies(notifyOn: SentryNotifyOn, resource: SentryNotifyResource, action: string): boolean {
  return (notifyOn[resource] as readonly string[]).includes(action);
}

/** True when Sentry documents `action` for `resource` (configured to notify or not). */
export function isKnownAction(resource: SentryNotifyResource, action: string): boolean {
  return (SENTRY_ACTIONS[resource] as readonly string[]).includes(action);
}

/** An action that still reaches channels that can edit when notifyOn leaves it out (marked `extra.lifecycleOnly`). */
export function editsOnly(resource: SentryNotifyResource, action: string): boolean {
  return resource === 'issue' && action === 'assigned';
}
