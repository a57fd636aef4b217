import { parseSentry } from '../../../src/normalize/sentry';
import { eventsOf, invalidMessage, onlyEvent } from './expect-result';
import { loadFixture, withValue } from './load-fixture';
import { fixedKey } from '../../../src/normalize/fixed-key';

/** How a composed key looks once bounded: fixed length, hashed. */
const key = (composed: string) => fixedKey('sentry', composed);

const NOW = new Date('2030-01-01T00:00:00.000Z');
const LATER = new Date('2030-01-01T00:07:00.000Z');

describe('parseSentry, GlitchTip general webhooks (no Sentry-Hook-Resource header)', () => {
  const issue4x = loadFixture('glitchtip-issue-4x.json');
  const issues5x = loadFixture('glitchtip-issues-5x.json');

  it('when GlitchTip 4.x sends one issue alert, then the attachment and its fields make the event', () => {
    expect(onlyEvent(parseSentry(undefined, issue4x, NOW))).toEqual({
      source: 'sentry',
      status: 'firing',
      severity: 'error',
      title: 'ZeroDivisionError: division by zero',
      message: undefined,
      culprit: 'reports.monthly in compute_ratio',
      project: 'Reports',
      environment: 'production',
      release: 'reports@2025.11.3',
      url: 'https://glitchtip.example.org/acme/issues/48291',
      labels: { project: 'Reports', environment: 'production', server_name: 'reports-worker-3', release: 'reports@2025.11.3' },
      annotations: {},
      occurredAt: NOW.toISOString(),
      dedupKey: key('glitchtip:glitchtip.example.org:acme:issue:48291'),
      identity: key(`glitchtip:glitchtip.example.org:acme:issue:48291:firing:${NOW.toISOString()}`),
      extra: { sender: 'GlitchTip', alertText: 'GlitchTip Alert', issueId: '48291', shortId: 'REPORTS-AB' },
    });
  });

  it('when GlitchTip 5.x sends several issues without alias and sections, then each becomes an event with its level from the color', () => {
    const events = eventsOf(parseSentry(undefined, issues5x, NOW));
    expect(events.map((e) => [e.title, e.severity, e.culprit])).toEqual([
      ["KeyError: 'customer_id'", 'error', 'orders.views in checkout'],
      // null color means warning or debug: GlitchTip sends no level.
      ['Slow query detected on orders table', 'warning', undefined],
      ['Cache warmed in 812 ms', 'info', 'cache.warm'],
    ]);
    expect(events[0]).toMatchObject({ project: 'Shop', environment: 'staging', release: 'shop@1.42.0', labels: { customer: '北京分公司' } });
    expect(events.map((e) => e.dedupKey)).toEqual([
      key('glitchtip:errors.example.cn:shop:issue:7310'),
      key('glitchtip:errors.example.cn:shop:issue:7311'),
      key('glitchtip:errors.example.cn:shop:issue:7312'),
    ]);
    expect(events[0]?.extra.alertText).toBe('GlitchTip Alert (5 issues)');
  });

  it('when an uptime monitor goes down and comes back, then firing and resolved share the dedupKey', () => {
    const down = onlyEvent(parseSentry(undefined, loadFixture('glitchtip-uptime-down.json'), NOW));
    const up = onlyEvent(parseSentry(undefined, loadFixture('glitchtip-uptime-up.json'), LATER));
    expect(down).toMatchObject({ status: 'firing', severity: 'error', title: 'Shop frontend', message: 'The monitored site has gone down.', extra: { monitorId: '17' } });
    expect(up).toMatchObject({ status: 'resolved', severity: 'error', message: 'The monitored site is back up.' });
    expect(down.culprit).toBeUndefined();
    expect(up.dedupKey).toBe(down.dedupKey);
    expect(down.dedupKey).toBe(key('glitchtip:glitchtip.example.org:acme:uptime:17'));
  });

  it('when the same monitor goes down again later, then it is a new notification (GlitchTip never retries)', () => {
    const first = onlyEvent(parseSentry(undefined, loadFixture('glitchtip-uptime-down.json'), NOW));
    const again = onlyEvent(parseSentry(undefined, loadFixture('glitchtip-uptime-down.json'), LATER));
    expect(again.identity).not.toBe(first.identity);
  });

  it('when title_link is no GlitchTip link, then the key falls back to the title', () => {
    const body = withValue(issue4x, ['attachments', 0, 'title_link'], 'not a url');
    const retitled = withValue(body, ['attachments', 0, 'title'], 'Another issue');
    expect(onlyEvent(parseSentry(undefined, body, LATER)).dedupKey).toBe(onlyEvent(parseSentry(undefined, body, NOW)).dedupKey);
    expect(onlyEvent(parseSentry(undefined, retitled, NOW)).dedupKey).not.toBe(onlyEvent(parseSentry(undefined, body, NOW)).dedupKey);
  });

  it.each([
    ['no attachments', withValue(issue4x, ['attachments'], []), 'attachments: expected at least one attachment'],
    ['an attachment without title', withValue(issue4x, ['attachments', 0, 'title'], null), 'attachments[0].title: expected string, received null'],
    ['a field value that is a number', withValue(issue4x, ['attachments', 0, 'fields', 1, 'value'], 3), 'attachments[0].fields[1].value: expected string, received number'],
    ['attachments that are not a list', withValue(issue4x, ['attachments'], 'x'), 'attachments: expected array, received string'],
    ['200 attachments', withValue(issue4x, ['attachments'], Array.from({ length: 200 }, () => ({ title: 't' }))), 'attachments: at most 100 attachments per request'],
  ])('when the body has %s, then it is invalid and names the field', (_name, body, expected) => {
    expect(invalidMessage(parseSentry(undefined, body, NOW))).toBe(`not a valid GlitchTip webhook: ${expected}`);
  });

  it('when a field is titled __proto__ or constructor, then it is a plain label and nothing else changes', () => {
    const fields = [{ title: '__proto__', value: 'x' }, { title: 'constructor', value: 'y' }, { title: 'Project', value: 'Reports' }];
    const event = onlyEvent(parseSentry(undefined, withValue(issue4x, ['attachments', 0, 'fields'], fields), NOW));
    expect(event.labels.constructor).toBe('y');
    expect(event.project).toBe('Reports');
    expect(Object.getPrototypeOf(event.labels)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
