import type { Phrase } from './phrase';

/**
 * The fixed words of the default templates. English is the reference: its keys define
 * MessageKey, so the other dictionaries must have exactly these keys (the compiler says which
 * one is missing). `{name}` is filled from the `t` helper's hash arguments; a plural phrase is
 * chosen by `count` with Intl.PluralRules.
 */
export const en = {
  'status.firing': 'FIRING',
  'status.resolved': 'RESOLVED',
  'severity.critical': 'critical',
  'severity.error': 'error',
  'severity.warning': 'warning',
  'severity.info': 'info',
  'field.project': 'project',
  'field.instance': 'instance',
  'field.location': 'location',
  'field.labels': 'labels',
  'field.rule': 'rule',
  'field.release': 'release',
  'field.time': 'time',
  'field.group': 'group',
  atLocation: 'at {location}',
  since: 'since {time}',
  resolvedAt: 'resolved {time}',
  events: { one: '{count} event', other: '{count} events' },
  users: { one: '{count} user', other: '{count} users' },
  firingCount: '{count} firing',
  resolvedCount: '{count} resolved',
  moreAlerts: { one: '{count} more alert of this group not shown', other: '{count} more alerts of this group not shown' },
  openInSentry: 'Open in Sentry',
  source: 'Source',
  runbook: 'Runbook',
  'digest.tag': 'repeated',
  'digest.repeats': { one: '{count} more event in the last {window}', other: '{count} more events in the last {window}' },
  'summary.digested': 'digest',
  'summary.muted': 'held in quiet hours',
  'summary.alerts': { one: '{count} alert', other: '{count} alerts' },
  'summary.issues': { one: '{count} issue', other: '{count} issues' },
  'summary.stillFiring': '{count} still firing',
  'summary.resolvedIssues': '{count} resolved in the period',
  'summary.top': 'Top issues',
  'summary.more': { one: '…and {count} more issue', other: '…and {count} more issues' },
  'duration.minutes': '{count} min',
  'duration.seconds': '{count} s',
  'duration.hours': '{count} h',
  'duration.days': '{count} d',
  'lifecycle.repeats': { one: '{count} notification, last {time}', other: '{count} notifications, last {time}' },
  'lifecycle.assignee': 'assigned to {name}',
  'lifecycle.archived': 'archived in Sentry',
  'lifecycle.lasted': 'lasted {duration}',
  'lifecycle.firedAt': 'fired {time}',
  'ago.now': 'just now',
  'ago.minutes': '{count} min ago',
  'ago.hours': '{count} h ago',
  'ago.days': '{count} d ago',
} satisfies Record<string, Phrase>;

export type MessageKey = keyof typeof en;
/** Every locale's dictionary: exactly the English keys, no more, no fewer. */
export type Dictionary = { readonly [K in MessageKey]: Phrase };
