import type { AlertEvent, AlertStatus } from './event';
import type { SentryIssueEnvelope } from './sentry-payload';
import { metadataException } from './sentry-event-fields';
import { definedOnly, firstText, ownValue } from './pick';
import { sentrySeverity } from './severity';
import { toIsoTime } from './time';

/**
 * What each issue action means for the chat. assigned only changes who works on it (still
 * firing); ignored/archived stop the paging without fixing anything, which the chat shows as the
 * end of the alert, with extra.issueAction saying which it was. Which of them notify at all is
 * `sentry.notifyOn.issue`.
 */
const ISSUE_ACTION_STATUS: Readonly<Record<string, AlertStatus>> = {
  created: 'firing',
  unresolved: 'firing',
  resolved: 'resolved',
  assigned: 'firing',
  ignored: 'resolved',
  archived: 'resolved',
};

export function normalizeSentryIssue(envelope: SentryIssueEnvelope, now: Date): AlertEvent {
  const { issue, resolution_type: resolutionType, assignee } = envelope.data;
  const action = envelope.action;
  const status = ownValue(ISSUE_ACTION_STATUS, action) ?? 'firing';
  const dedupKey = `sentry:${envelope.installation.uuid}:issue:${issue.id}`;
  const exception = metadataException(issue.metadata);
  const lastSeen = toIsoTime(issue.lastSeen);
  const assigneeName = firstText(assignee?.name, assignee?.email);
  // Who works on it now: the new assignee of issue.assigned, else the issue's own (mentions find the person by either).
  const current = action === 'assigned' ? assignee : issue.assignedTo;
  return {
    source: 'sentry',
    status,
    severity: sentrySeverity(issue.level),
    title: issue.title,
    message: actionSentence(action, assigneeName) ?? exceptionBeyondTitle(issue.title, exception.value),
    culprit: firstText(issue.culprit, issueFrame(issue.metadata?.filename, issue.metadata?.function)),
    project: issue.project.slug,
    url: firstText(issue.web_url),
    labels: {},
    annotations: {},
    occurredAt: lastSeen ?? toIsoTime(issue.firstSeen) ?? now.toISOString(),
    count: issue.count ? safeCount(issue.count) : undefined,
    userCount: issue.userCount ?? undefined,
    dedupKey,
    identity: issueIdentity(dedupKey, action, issue.lastSeen, assigneeName),
    extra: definedOnly({
      issueId: issue.id,
      issueAction: action,
      shortId: firstText(issue.shortId),
      projectName: firstText(issue.project.name),
      exceptionType: exception.type,
      exceptionValue: exception.value,
      resolutionType: firstText(resolutionType),
      assignee: firstText(current?.name, current?.email),
      assigneeEmail: current?.name ? firstText(current.email) : undefined,
      substatus: firstText(issue.substatus),
      firstSeen: toIsoTime(issue.firstSeen),
    }),
  };
}

function actionSentence(action: string, assignee: string | undefined): string | undefined {
  if (action === 'assigned') return assignee ? `Assigned to ${assignee}` : 'Unassigned';
  if (action === 'ignored' || action === 'archived') return 'Archived in Sentry';
  return undefined;
}

function exceptionBeyondTitle(title: string, value: string | undefined): string | undefined {
  return value && !title.includes(value.trim()) ? value : undefined;
}

// `count` is a decimal string; a 400-digit one must not become Infinity in a message.
function safeCount(count: string): number | undefined {
  const value = Number.parseInt(count, 10);
  return Number.isSafeInteger(value) ? value : undefined;
}

// `created` happens once per issue, and Sentry re-serializes the group when it retries, so
// lastSeen may move between attempts: leave it out. An issue can regress and be resolved many
// times, though; lastSeen (the regression's event, unchanged by a resolve) tells those apart.
// Some Sentry versions send both ignored and archived for one archive: they share an identity.
function issueIdentity(dedupKey: string, action: string, lastSeen: string | null | undefined, assignee: string | undefined): string {
  if (action === 'created') return `${dedupKey}:issue.created`;
  const name = action === 'archived' ? 'ignored' : action;
  const who = action === 'assigned' ? `:${assignee ?? ''}` : '';
  return `${dedupKey}:issue.${name}${who}:${lastSeen ?? ''}`;
}

function issueFrame(filename: string | null | undefined, fn: string | null | undefined): string | undefined {
  const file = firstText(filename);
  const func = firstText(fn);
  return file && func ? `${file} in ${func}` : (file ?? func);
}
