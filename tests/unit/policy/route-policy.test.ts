import { configSchema } from '../../../src/config/schema';
import type { AlertEvent } from '../../../src/normalize/event';
import { compileRoutePolicies } from '../../../src/policy/route-policy';

const config = configSchema.parse({
  timezone: 'Asia/Shanghai',
  channels: { 'ops-telegram': { type: 'console' }, 'ops-wecom': { type: 'console' } },
  routes: [
    { match: { severity: ['critical', 'error'] }, channels: ['ops-telegram'] },
    { match: { severity: 'warning' }, channels: ['ops-wecom'], digest: '1h' },
    { match: { severity: 'info' }, channels: ['ops-wecom'], digest: { every: '1d', at: '09:00' }, mute: ['nights'] },
    { match: { labels: { team: 'db' } }, channels: ['ops-wecom'] },
  ],
  timeIntervals: { nights: [{ times: [{ start_time: '00:00', end_time: '08:00' }], weekdays: ['monday:friday'], location: 'Asia/Shanghai' }] },
});
const policies = compileRoutePolicies(config.routes, config.timeIntervals, config.timezone, Object.keys(config.channels));
const event = (severity: AlertEvent['severity'], labels: Record<string, string> = {}): AlertEvent => ({
  source: 'alertmanager', status: 'firing', severity, title: 't', labels, annotations: {}, occurredAt: '', dedupKey: 'k', identity: 'i', extra: {},
});
// Wednesday 03:00 in Shanghai.
const night = Date.parse('2026-12-01T19:00:00Z');

describe('which route holds an alert for a channel', () => {
  it('when an alert matches only digest routes, then it is held until the period end', () => {
    expect(policies.decide(event('warning'), 'ops-wecom', night)).toMatchObject({ kind: 'digested', end: Date.parse('2026-12-01T20:00:00Z'), label: 'digest 1h' });
  });

  it('when info arrives at night, then it is muted and its summary waits for 09:00 (the digest period end, after the mute)', () => {
    expect(policies.decide(event('info'), 'ops-wecom', night)).toMatchObject({ kind: 'muted', end: Date.parse('2026-12-02T01:00:00Z'), label: 'digest 1d; mute nights' });
  });

  it('when a later route without digest or mute also names the channel, then the alert goes at once', () => {
    expect(policies.decide(event('info', { team: 'db' }), 'ops-wecom', night)).toBeUndefined();
  });

  it('when the route of a channel has no policy, then the alert goes at once', () => {
    expect(policies.decide(event('critical'), 'ops-telegram', night)).toBeUndefined();
  });

  it('when two routes have the same policy, then they share a key (one summary per channel); other policies get other keys', () => {
    const again = compileRoutePolicies([config.routes![1]!, { ...config.routes![1]!, match: { severity: 'error' } }, config.routes![2]!], config.timeIntervals, config.timezone, ['ops-wecom']);
    const keys = (['warning', 'error', 'info'] as const).map((s) => again.decide(event(s), 'ops-wecom', night)?.policyKey);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[0]);
  });
});
