import { parseSentry } from '../../../src/normalize/sentry';
import { sentrySeverity } from '../../../src/normalize/severity';
import { invalidMessage, onlyEvent as only } from './expect-result';
import { loadFixture, withValue } from './load-fixture';

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
      dedupKey: ISSUE_KEY,
      identity: `${ISSUE_KEY}:issue.created`,
      extra: {
        issueId: '6089314527',
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
    // Workflow webhooks carry no links (PAYLOADS.md §1.5).
    expect(resolved.url).toBeUndefined();
    expect(resolved.dedupKey).toBe(created.dedupKey);
    expect(resolved.identity).not.toBe(created.identity);
  });

  it('when an issue regresses (unresolved), then it fires again with its own identity', () => {
    const reopened = only(parseSentry('issue', withValue(issueResolved, ['action'], 'unresolved'), NOW));
    expect(reopened.status).toBe('firing');
    expect(reopened.identity).toBe(`${ISSUE_KEY}:issue.unresolved:2025-11-18T11:47:02.115000Z`);
  });

  it.each(['assigned', 'ignored', 'archived', 'frobnicated'])('when the issue action is %p, then it is ignored with a reason', (action) => {
    expect(parseSentry('issue', withValue(issueResolved, ['action'], action), NOW)).toEqual({
      kind: 'ignored',
      reason: `issue action '${action}' needs no message`,
    });
  });

  it('when an ignored action has data we would not accept, then it is still only ignored', () => {
    expect(parseSentry('issue', { action: 'assigned', data: 'whatever' }, NOW).kind).toBe('ignored');
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
      dedupKey: `sentry:${INSTALL}:metric_alert:94873`,
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

  it('when the action is open, then it is ignored', () => {
    expect(parseSentry('metric_alert', withValue(metricCritical, ['action'], 'open'), NOW).kind).toBe('ignored');
  });
});

describe('parseSentry, resources that need no message', () => {
  it.each([
    ['installation', loadFixture('sentry-installation.json'), 'installation webhooks need no message'],
    ['comment', { action: 'created', data: { comment_id: 1, issue_id: 2 } }, 'issue comments need no message'],
    ['seer', { action: 'root_cause_completed', data: { run_id: 7 } }, 'Seer progress updates need no message'],
    ['size_analysis', {}, "Sentry resource 'size_analysis' needs no message"],
  ])('when the resource is %p, then it is ignored with a reason', (resource, body, reason) => {
    expect(parseSentry(resource, body, NOW)).toEqual({ kind: 'ignored', reason });
  });
});

describe('parseSentry, detection and identity', () => {
  it.each([
    ['a body of another sender', { text: 'GlitchTip Alert', attachments: [] }],
    ['a JSON string', 'hello'],
    ['null', null],
  ])('when no header comes with %s, then it is invalid and says what was expected', (_name, body) => {
    expect(invalidMessage(parseSentry(undefined, body, NOW))).toMatch(/Sentry-Hook-Resource header.*legacy WebHooks plugin/);
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
