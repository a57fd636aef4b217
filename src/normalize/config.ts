import { z } from 'zod';
import { DEFAULT_SENTRY_NOTIFY_ON, SENTRY_ACTIONS, type SentryNotifyResource } from './sentry-notify-on';

/** One resource's list: only actions Sentry documents, so a typo is an error at start-up. */
function actions<R extends SentryNotifyResource>(resource: R) {
  return z.array(z.enum(SENTRY_ACTIONS[resource])).default(() => [...DEFAULT_SENTRY_NOTIFY_ON[resource]]);
}

/**
 * `sentry.notifyOn`: which Integration Platform actions become messages, per resource. A resource
 * left out keeps its default; e.g. `notifyOn: { issue: [created, resolved, unresolved, assigned] }`.
 */
export const sentrySchema = z
  .object({
    notifyOn: z
      .object({
        issue: actions('issue'),
        event_alert: actions('event_alert'),
        error: actions('error'),
        metric_alert: actions('metric_alert'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});
