import type { AlertEvent, AlertStatus } from './event';
import type { SentryIssueEnvelope } from './sentry-payload';
import { metadataException } from './sentry-event-fields';
import { definedOnly, firstText, ownValue } from './pick';
import { sentrySeverity } from './severity';
import { toIsoTime } from './time';

/**
 * Issue actions that become a notification. assigned/ignored/archived only change an existing
 * issue; the gateway has no message to update, so they are acknowledged and dropped.
 */
const ISSUE_ACTION_STATUS: Readonly<Record<string, AlertStatus>> = {
  created: 'firing',
  unresolved: 'firing',
  resolved: 'resolved',
};

export function isNotifyingIssueAction(action: string): boolean {
  return ownValue(ISSUE_ACTION_STATUS, action) !== undefined;
}

export function normalizeSentryIssue(envelope: SentryIssueEnvelope, now: Date): AlertEvent {
  const { issue, resolution_type: resolutionType } = envelope.data;
  const status = ownValue(ISSUE_ACTION_STATUS, envelope.action) ?? 'firing';
  const dedupKey = `sentry:${envelope.installation.uuid}:issue:${issue.id}`;
  const exception = metadataException(issue.metadata);
  const lastSeen = toIsoTime(issue.lastSeen);
  return {
    source: 'sentry',
    status,
    severity: sentrySeverity(issue.level),
    title: issue.title,
    message: exception.value && !issue.title.includes(exception.value.trim()) ? exception.value : undefined,
    culprit: firstText(issue.culprit, issueFrame(issue.metadata?.filename, issue.metadata?.function)),
    project: issue.project.slug,
    url: firstText(issue.web_url),
    labels: {},
    annotations: {},
    occurredAt: lastSeen ?? toIsoTime(issue.firstSeen) ?? now.toISOString(),
    count: issue.count ? Number.parseInt(issue.count, 10) : undefined,
    userCount: issue.userCount ?? undefined,
    dedupKey,
    identity: issueIdentity(dedupKey, envelope.action, issue.lastSeen),
    extra: definedOnly({
      issueId: issue.id,
      shortId: firstText(issue.shortId),
      projectName: firstText(issue.project.name),
      exceptionType: exception.type,
      exceptionValue: exception.value,
      resolutionType: firstText(resolutionType),
      substatus: firstText(issue.substatus),
      firstSeen: toIsoTime(issue.firstSeen),
    }),
  };
}

// `created` happens once per issue, and Sentry re-serializes the group when it retries, so
// lastSeen may move between attempts: leave it out. An issue can regress and be resolved many
// times, though; lastSeen (the regression's event, unchanged by a resolve) tells those apart.
function issueIdentity(dedupKey: string, action: string, lastSeen: string | null | undefined): string {
  const base = `${dedupKey}:issue.${action}`;
  return action === 'created' ? base : `${base}:${lastSeen ?? ''}`;
}

function issueFrame(filename: string | null | undefined, fn: string | null | undefined): string | undefined {
  const file = firstText(filename);
  const func = firstText(fn);
  return file && func ? `${file} in ${func}` : (file ?? func);
}
