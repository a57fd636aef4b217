import { parseSentry } from '../../../src/normalize/sentry';
import { DEFAULT_SENTRY_NOTIFY_ON, type SentryNotifyOn } from '../../../src/normalize/sentry-notify-on';
import { sentrySeverity } from '../../../src/normalize/severity';
import { invalidMessage, onlyEvent as only } from './expect-result';
import { loadFixture, withValue } from './load-fixture';
import { fixedKey } from '../../../src/normalize/fixed-key';

/** How a composed key looks once bounded: fixed length, hashed. */
const key = (composed: string) => fixedKey('sentry', composed);

const NOW = new Date('2030-01-01T00:00:00.000Z');
const INSTALL = 'b3e1d7a2-5c4f-4a9b-8e2d-6f0a1c9b7e35';
const ISSUE_KEY = `sentry:${INSTALL}:issue:6089314527`;

const issueCreated = loadFixture('sentry-issue-created.json');
const issueResolved = loadFixture('sentry-issue-resolved.json');
const metricCritical = loadFixture('sentry-metric-alert-critical.json');
const metricResolved = loadFixture('sentry-metric-alert-resolved.json');

describe('parseSentry, issue webhooks', () => {
  it('when an issue is created, then the event carries the issue fields', () => {
    expect(only(parseSentry('issue', issueCreated, NOW))).toEqual({
      source: 'sentry',
      status: 'firing',
      severity: 'error',
      title: "KeyError: 'sku'",
      message: undefined,
      culprit: 'orders.pricing in apply_discounts',
      project: 'orders-api',
      url: 'https://lumen-retail.sentry.io/issues/6089314527/',
      labels: {},
      annotations: {},
      occurredAt: '2025-11-18T09:41:40.731Z',
      count: 1,
      userCount: 1,
      dedupKey: key(ISSUE_KEY),
      identity: key(`${ISSUE_KEY}:issue.created`),
      extra: {
        issueId: '6089314527',
        issueAction: 'created',
        shortId: 'ORDERS-API-5QX',
        projectName: 'orders-api',
        exceptionType: 'KeyError',
        exceptionValue: "'sku'",
        substatus: 'new',
        firstSeen: '2025-11-18T09:41:40.731Z',
      },
    });
  });

  it('when an issue is resolved, then it is resolved under the same dedupKey with another identity', () => {
    const created = only(parseSentry('issue', issueCreated, NOW));
    const resolved = only(parseSentry('issue', issueResolved, NOW));
    expect(resolved).toMatchObject({ status: 'resolved', severity: 'error', count: 212, userCount: 37, occurredAt: '2025-11-18T11:47:02.115Z' });
    expect(resolved.extra.resolutionType).toBe('now');
    // Workflow webhooks carry no links (docs/payloads.md §1.5).
    expect(resolved.url).toBeUndefined();
    expect(resolved.dedupKey).toBe(created.dedupKey);
    expect(resolved.identity).not.toBe(created.identity);
  });

  it('when an issue regresses (unresolved), then it fires again with its own identity', () => {
    const reopened = only(parseSentry('issue', withValue(issueResolved, ['action'], 'unresolved'), NOW));
    expect(reopened.status).toBe('firing');
    expect(reopened.identity).toBe(key(`${ISSUE_KEY}:issue.unresolved:2025-11-18T11:47:02.115000Z`));
  });

  it.each(['ignored', 'archived'])('when the issue action is %p and sentry.notifyOn has the defaults, then it ends the alert', (action) => {
    const ended = only(parseSentry('issue', withValue(issueResolved, ['action'], action), NOW));
    expect(ended).toMatchObject({ status: 'resolved', extra: { issueAction: action } });
    expect(ended.extra.lifecycleOnly).toBeUndefined();
  });

  it('when an issue is assigned and sentry.notifyOn leaves assigned out (the default), then it is an event only for editing a living message', () => {
    const assigned = only(parseSentry('issue', withValue(issueResolved, ['action'], 'assigned'), NOW));
    expect(assigned).toMatchObject({ status: 'firing', extra: { issueAction: 'assigned', lifecycleOnly: 1 } });
    const asked = only(parseSentry('issue', withValue(issueResolved, ['action'], 'assigned'), NOW, { ...DEFAULT_SENTRY_NOTIFY_ON, issue: ['created', 'assigned'] }));
    expect(asked.extra.lifecycleOnly).toBeUndefined();
  });

  it('when sentry.notifyOn leaves ignored out, then it is ignored naming the setting', () => {
    expect(parseSentry('issue', withValue(issueResolved, ['action'], 'ignored'), NOW, { ...DEFAULT_SENTRY_NOTIFY_ON, issue: ['created'] })).toEqual({
      kind: 'ignored',
      reason: "issue action 'ignored' is not in sentry.notifyOn.issue",
    });
  });

  it('when the issue action is unknown, then it is ignored with a reason', () => {
    expect(parseSentry('issue', withValue(issueResolved, ['action'], 'frobnicated'), NOW)).toEqual({
      kind: 'ignored',
      reason: "issue action 'frobnicated' needs no message",
    });
  });

  it('when an ignored action has data we would not accept, then it is still only ignored', () => {
    expect(parseSentry('issue', { action: 'ignored', data: 'whatever' }, NOW, { ...DEFAULT_SENTRY_NOTIFY_ON, issue: ['created'] }).kind).toBe('ignored');
  });

  it('when the issue id is a number, then it is invalid and the message names the field', () => {
    expect(invalidMessage(parseSentry('issue', withValue(issueCreated, ['data', 'issue', 'id'], 6089314527), NOW))).toBe(
      'not a valid Sentry issue webhook: data.issue.id: expected string, received number',
    );
  });

  it('when count is a number instead of a string, then it is invalid', () => {
    expect(invalidMessage(parseSentry('issue', withValue(issueCreated, ['data', 'issue', 'count'], 212), NOW))).toContain('data.issue.count');
  });

  it('when the installation is missing, then it is invalid', () => {
    expect(invalidMessage(parseSentry('issue', withValue(issueCreated, ['installation'], undefined), NOW))).toContain(
      'installation: expected object, received undefined',
    );
  });
});

describe('parseSentry, issue actions opted in with sentry.notifyOn', () => {
  const all: SentryNotifyOn = { ...DEFAULT_SENTRY_NOTIFY_ON, issue: ['created', 'resolved', 'unresolved', 'assigned', 'ignored', 'archived'] };
  const assigned = loadFixture('sentry-issue-assigned.json');
  const archived = loadFixture('sentry-issue-archived.json');

  it('when a regressed issue is unresolved, then it fires with its lastSeen in the identity', () => {
    const event = only(parseSentry('issue', loadFixture('sentry-issue-unresolved.json'), NOW));
    expect(event).toMatchObject({ status: 'firing', severity: 'error', count: 215, extra: { issueAction: 'unresolved', substatus: 'regressed' } });
    expect(event.identity).toBe(key(`${ISSUE_KEY}:issue.unresolved:2025-11-19T07:03:18.551000Z`));
  });

  it('when assigned is opted in, then the assignment fires with who took it', () => {
    const event = only(parseSentry('issue', assigned, NOW, all));
    expect(event).toMatchObject({
      status: 'firing',
      title: "KeyError: 'sku'",
      message: 'Assigned to Lena Fischer',
      dedupKey: key(ISSUE_KEY),
      extra: { issueAction: 'assigned', assignee: 'Lena Fischer' },
    });
  });

  it('when the issue is assigned to someone else, then that is another notification', () => {
    const toTeam = withValue(assigned, ['data', 'assignee'], { type: 'team', name: 'payments', id: 812 });
    expect(only(parseSentry('issue', toTeam, NOW, all)).identity).not.toBe(only(parseSentry('issue', assigned, NOW, all)).identity);
    expect(only(parseSentry('issue', withValue(assigned, ['data', 'assignee'], null), NOW, all)).message).toBe('Unassigned');
  });

  it('when archived is opted in, then the archive ends the alert and says so', () => {
    expect(only(parseSentry('issue', archived, NOW, all))).toMatchObject({
      status: 'resolved',
      message: 'Archived in Sentry',
      extra: { issueAction: 'archived', substatus: 'archived_until_escalating' },
    });
  });

  it('when one archive arrives as both archived and ignored, then both give one identity', () => {
    const ignored = only(parseSentry('issue', withValue(archived, ['action'], 'ignored'), NOW, all));
    expect(ignored.identity).toBe(only(parseSentry('issue', archived, NOW, all)).identity);
  });

  it('when created is left out of sentry.notifyOn, then a new issue is ignored', () => {
    const onlyResolved: SentryNotifyOn = { ...DEFAULT_SENTRY_NOTIFY_ON, issue: ['resolved'] };
    expect(parseSentry('issue', issueCreated, NOW, onlyResolved)).toEqual({ kind: 'ignored', reason: "issue action 'created' is not in sentry.notifyOn.issue" });
  });

  it('when error.created is switched off, then error webhooks are ignored', () => {
    const noErrors: SentryNotifyOn = { ...DEFAULT_SENTRY_NOTIFY_ON, error: [] };
    expect(parseSentry('error', loadFixture('sentry-error-created.json'), NOW, noErrors).kind).toBe('ignored');
  });

  it('when an issue count does not fit a safe integer, then the count is left out', () => {
    expect(only(parseSentry('issue', withValue(issueCreated, ['data', 'issue', 'count'], '9'.repeat(400)), NOW)).count).toBeUndefined();
  });
});

describe('parseSentry, metric alerts', () => {
  it('when a metric alert goes critical, then it fires with critical severity', () => {
    expect(only(parseSentry('metric_alert', metricCritical, NOW))).toMatchObject({
      status: 'firing',
      severity: 'critical',
      title: 'Critical: Checkout 5xx rate',
      message: '742 events in the last 10 minutes',
      project: 'orders-api',
      environment: 'production',
      url: 'https://lumen-retail.sentry.io/alerts/rules/details/318904/?alert=1207',
      occurredAt: '2025-11-18T10:20:00.000Z',
      dedupKey: key(`sentry:${INSTALL}:metric_alert:94873`),
      extra: { incidentId: '94873', incidentIdentifier: '1207', alertRule: 'Checkout 5xx rate' },
    });
  });

  it('when the incident resolves, then it shares the dedupKey, differs in identity and keeps the severity for routing', () => {
    const critical = only(parseSentry('metric_alert', metricCritical, NOW));
    const resolved = only(parseSentry('metric_alert', metricResolved, NOW));
    expect(resolved).toMatchObject({ status: 'resolved', severity: 'critical', endedAt: '2025-11-18T10:58:00.000Z' });
    expect(resolved.dedupKey).toBe(critical.dedupKey);
    expect(resolved.identity).not.toBe(critical.identity);
  });

  it('when the incident drops to warning, then it fires with warning severity', () => {
    const warning = withValue(withValue(metricCritical, ['action'], 'warning'), ['data', 'description_title'], 'Warning: Checkout 5xx rate');
    expect(only(parseSentry('metric_alert', warning, NOW))).toMatchObject({ status: 'firing', severity: 'warning', title: 'Warning: Checkout 5xx rate' });
  });

  it('when the incident is at warning (fixture), then the text and level come from the payload', () => {
    expect(only(parseSentry('metric_alert', loadFixture('sentry-metric-alert-warning.json'), NOW))).toMatchObject({
      status: 'firing',
      severity: 'warning',
      title: 'Warning: Checkout 5xx rate',
      message: '318 events in the last 10 minutes',
    });
  });

  it('when the action is open, then it is ignored', () => {
    expect(parseSentry('metric_alert', withValue(metricCritical, ['action'], 'open'), NOW).kind).toBe('ignored');
  });
});

describe('parseSentry, resources that need no message', () => {
  it.each([
    ['installation', loadFixture('sentry-installation.json'), 'installation webhooks need no message'],
    ['comment', loadFixture('sentry-comment-created.json'), 'issue comments need no message'],
    ['seer', { action: 'root_cause_completed', data: { run_id: 7 } }, 'Seer progress updates need no message'],
    ['size_analysis', {}, "Sentry resource 'size_analysis' needs no message"],
  ])('when the resource is %p, then it is ignored with a reason', (resource, body, reason) => {
    expect(parseSentry(resource, body, NOW)).toEqual({ kind: 'ignored', reason });
  });

  it('when the resource or action is huge or holds a newline, then the reason quotes it cut and escaped', () => {
    expect(parseSentry('x'.repeat(5000), {}, NOW)).toEqual({ kind: 'ignored', reason: `Sentry resource '${'x'.repeat(64)}…' needs no message` });
    expect(parseSentry('evil\n2026 error forged', {}, NOW)).toEqual({ kind: 'ignored', reason: "Sentry resource 'evil\\n2026 error forged' needs no message" });
    expect(parseSentry('issue', { action: 'y'.repeat(1_000_000) }, NOW)).toEqual({ kind: 'ignored', reason: `issue action '${'y'.repeat(64)}…' needs no message` });
  });
});

describe('parseSentry, detection and identity', () => {
  it.each([
    ['a body of another sender', { title: 'Disk full', state: 'alerting', ruleName: 'disk' }],
    ['a JSON string', 'hello'],
    ['null', null],
  ])('when no header comes with %s, then it is invalid and says what was expected', (_name, body) => {
    expect(invalidMessage(parseSentry(undefined, body, NOW))).toMatch(/Sentry-Hook-Resource header.*legacy WebHooks plugin.*GlitchTip webhook \(text and attachments\)/);
  });

  it('when the header comes with a body that is not an object, then the message names the body', () => {
    expect(invalidMessage(parseSentry('issue', 'hello', NOW))).toBe('not a valid Sentry issue webhook: body: expected object, received string');
  });

  it('when the header is in another case, then it is still recognized', () => {
    expect(only(parseSentry('Issue', issueCreated, NOW)).status).toBe('firing');
  });

  it.each([
    ['issue', 'sentry-issue-created.json'],
    ['issue', 'sentry-issue-resolved.json'],
    ['event_alert', 'sentry-event-alert.json'],
    ['event_alert', 'sentry-event-alert-message-only.json'],
    ['event_alert', 'sentry-event-alert-minimal.json'],
    ['error', 'sentry-error-created.json'],
    ['metric_alert', 'sentry-metric-alert-critical.json'],
    ['metric_alert', 'sentry-metric-alert-resolved.json'],
    ['metric_alert', 'sentry-metric-alert-warning.json'],
    ['issue', 'sentry-issue-unresolved.json'],
    ['event_alert', 'sentry-event-alert-js-no-culprit-no-level.json'],
    [undefined, 'sentry-legacy-plugin.json'],
  ])('when %s %s is delivered twice, then both give the same identity', (resource, name) => {
    const first = only(parseSentry(resource, loadFixture(name), NOW));
    // A retry comes later, with a new Request-ID that the parser never sees.
    const retry = only(parseSentry(resource, loadFixture(name), new Date('2030-01-01T00:05:00Z')));
    expect(retry.identity).toBe(first.identity);
    expect(retry).toEqual(first);
  });
});

describe('sentrySeverity', () => {
  it.each([
    ['fatal', 'critical'],
    ['error', 'error'],
    ['Warning', 'warning'],
    ['info', 'info'],
    ['debug', 'info'],
    [undefined, 'error'],
    [null, 'error'],
    ['sample', 'error'],
  ])('when the level is %p, then the severity is %p', (level, severity) => {
    expect(sentrySeverity(level)).toBe(severity);
  });
});
