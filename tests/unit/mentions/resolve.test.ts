import { configSchema } from '../../../src/config/schema';
import { createMentionResolver } from '../../../src/mentions/resolve';
import type { AlertEvent } from '../../../src/normalize/event';
import { parseAlertmanager } from '../../../src/normalize/alertmanager';
import { parseSentry } from '../../../src/normalize/sentry';
import { eventsOf, onlyEvent } from '../normalize/expect-result';
import { loadFixture, withValue } from '../normalize/load-fixture';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const ALL_ISSUE_ACTIONS = { issue: ['created', 'resolved', 'unresolved', 'assigned'] };

function resolverFor(raw: { people?: unknown; mentions?: unknown }) {
  const config = configSchema.parse({ ...raw, sentry: { notifyOn: ALL_ISSUE_ACTIONS } });
  return createMentionResolver(config.people, config.mentions);
}

const people = {
  'dba-oncall': { telegram: '@dba_oncall', dingtalk: '13800000000', sentry: 'dba@example.com' },
  lena: { telegram: '@lena_fischer', wecom: 'lena.fischer', sentry: 'Lena.Fischer@lumen-retail.example' },
  payments: { slack: 'U0PAYMENTS', sentry: 'payments' },
};

function alertmanagerEvents(labels: Record<string, string>): AlertEvent[] {
  const group = loadFixture('alertmanager-firing.json') as { alerts: Array<{ labels: Record<string, string> }> };
  const alerts = group.alerts.slice(0, 1).map((alert) => ({ ...alert, labels: { ...alert.labels, ...labels } }));
  return eventsOf(parseAlertmanager({ ...group, alerts }));
}

function sentryIssue(fixture: string, change?: { path: string[]; value: unknown }): AlertEvent {
  const body = change ? withValue(loadFixture(fixture), change.path, change.value) : loadFixture(fixture);
  const config = configSchema.parse({ sentry: { notifyOn: ALL_ISSUE_ACTIONS } });
  return onlyEvent(parseSentry('issue', body, NOW, config.sentry.notifyOn));
}

describe('who an alert mentions', () => {
  it('when an alert matches a rule by label, then that rule\'s people are mentioned with their handles, without the Sentry name', () => {
    const resolve = resolverFor({ people, mentions: [{ match: { labels: { team: 'db' } }, people: ['dba-oncall'] }] });
    const [event] = alertmanagerEvents({ team: 'db' });
    expect(resolve(event!)).toEqual({ people: [{ name: 'dba-oncall', telegram: '@dba_oncall', dingtalk: '13800000000' }], all: false });
  });

  it('when no rule matches and no assignee is known, then nobody is mentioned', () => {
    const resolve = resolverFor({ people, mentions: [{ match: { labels: { team: 'db' } }, people: ['dba-oncall'] }] });
    const [event] = alertmanagerEvents({ team: 'web' });
    expect(resolve(event!)).toBeUndefined();
  });

  it('when several rules match, then each person is mentioned once, in rule order, and all comes from any of them', () => {
    const resolve = resolverFor({
      people,
      mentions: [
        { match: { labels: { team: 'db' } }, people: ['dba-oncall', 'lena'] },
        { match: { labels: { team: '=~d.*' } }, people: ['lena'] },
        { match: { severity: 'critical' }, all: true },
        { match: { labels: { team: 'web' } }, people: ['payments'] },
      ],
    });
    const [critical] = alertmanagerEvents({ team: 'db', severity: 'critical' });
    const mentions = resolve(critical!);
    expect(mentions?.people.map((p) => p.name)).toEqual(['dba-oncall', 'lena']);
    expect(mentions?.all).toBe(true);
    const [warning] = alertmanagerEvents({ team: 'db', severity: 'warning' });
    expect(resolve(warning!)?.all).toBe(false);
  });

  it('when a Sentry issue is assigned to a user whose email a person gives (in another case), then that person is mentioned with no rule', () => {
    const resolve = resolverFor({ people });
    const event = sentryIssue('sentry-issue-assigned.json');
    expect(event.extra).toMatchObject({ assignee: 'Lena Fischer', assigneeEmail: 'lena.fischer@lumen-retail.example' });
    expect(resolve(event)).toEqual({ people: [{ name: 'lena', telegram: '@lena_fischer', wecom: 'lena.fischer' }], all: false });
  });

  it('when a resolved issue belongs to a team, then the person standing for that team is mentioned, before the rules\' people', () => {
    const resolve = resolverFor({ people, mentions: [{ match: { source: 'sentry' }, people: ['dba-oncall', 'payments'] }] });
    const event = sentryIssue('sentry-issue-resolved.json');
    expect(event.extra.assignee).toBe('payments');
    expect(resolve(event)?.people.map((p) => p.name)).toEqual(['payments', 'dba-oncall']);
  });

  it('when the issue is unassigned, or its assignee is nobody in people, then nobody is mentioned', () => {
    const resolve = resolverFor({ people });
    expect(resolve(sentryIssue('sentry-issue-assigned.json', { path: ['data', 'assignee'], value: null }))).toBeUndefined();
    expect(resolve(sentryIssue('sentry-issue-assigned.json', { path: ['data', 'assignee'], value: { type: 'user', name: 'Someone Else', id: 7 } }))).toBeUndefined();
    expect(resolve(sentryIssue('sentry-issue-created.json'))).toBeUndefined();
  });

  it('when an Alertmanager label happens to be called assignee, then it is not taken for a Sentry assignee', () => {
    const resolve = resolverFor({ people });
    const [event] = alertmanagerEvents({ assignee: 'payments' });
    expect(resolve({ ...event!, extra: { ...event!.extra, assignee: 'payments' } })).toBeUndefined();
  });
});
