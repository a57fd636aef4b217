import { labelsFingerprint } from '../../../src/normalize/alertmanager-fingerprint';
import { parseAlertmanager } from '../../../src/normalize/alertmanager';
import { alertmanagerSeverity } from '../../../src/normalize/severity';
import { eventsOf, invalidMessage } from './expect-result';
import { loadFixture, valueAt, withValue } from './load-fixture';
import { fixedKey } from '../../../src/normalize/fixed-key';
import { LIMITS } from '../../../src/normalize/limits';

/** How a composed key looks once bounded: fixed length, hashed. */
const key = (composed: string) => fixedKey('alertmanager', composed);

const firing = loadFixture('alertmanager-firing.json');
const resolved = loadFixture('alertmanager-resolved.json');
const mixed = loadFixture('alertmanager-mixed.json');
const SCOPE = 'alertmanager:alertmanager.monitoring.svc:9093:chat-gateway';

describe('parseAlertmanager', () => {
  describe('when a group of three firing alerts arrives', () => {
    const events = eventsOf(parseAlertmanager(firing));

    it('then it gives one event per alert', () => {
      expect(events).toHaveLength(3);
      expect(events.map((e) => e.status)).toEqual(['firing', 'firing', 'firing']);
      expect(events.map((e) => e.culprit)).toEqual(['10.20.3.14:8080', '10.20.4.27:8080', '10.20.5.9:8080']);
    });

    it('then each event takes its fields from annotations and labels', () => {
      const [first] = events;
      expect(first).toMatchObject({
        source: 'alertmanager',
        severity: 'critical',
        title: 'orders-api p99 latency above 2s',
        message: 'p99 latency of orders-api on 10.20.3.14:8080 is 2.731s (threshold: > 2s) for more than 10 minutes.',
        project: 'orders-api',
        environment: 'prod-eu-1',
        occurredAt: '2025-11-18T09:58:47.312Z',
        dedupKey: key(`${SCOPE}:b438e4678cd6acaf`),
        identity: key(`${SCOPE}:b438e4678cd6acaf:firing:2025-11-18T09:58:47.312Z:0001-01-01T00:00:00Z`),
      });
      expect(first?.url).toMatch(/^http:\/\/prometheus-k8s-0:9090\/graph\?g0\.expr=histogram_quantile.*&g0\.tab=1$/);
      expect(first?.endedAt).toBeUndefined();
      expect(first?.labels).toEqual(valueAt(firing, ['alerts', 0, 'labels']));
      expect(first?.annotations).toEqual(valueAt(firing, ['alerts', 0, 'annotations']));
    });

    it('then the severity label of each alert is mapped on its own', () => {
      expect(events.map((e) => e.severity)).toEqual(['critical', 'critical', 'warning']);
    });

    it('then extra carries the group summary and the runbook', () => {
      expect(events[2]?.extra).toEqual({
        firingCount: 3,
        resolvedCount: 0,
        groupKey: '{}/{team="shop"}:{alertname="HighRequestLatency", cluster="prod-eu-1"}',
        receiver: 'chat-gateway',
        externalURL: 'http://alertmanager.monitoring.svc:9093',
        runbookUrl: 'https://runbooks.example.com/shop/high-request-latency',
      });
    });
  });

  describe('when every alert of the group is resolved', () => {
    const events = eventsOf(parseAlertmanager(resolved));

    it('then each event is resolved and ends at endsAt', () => {
      expect(events.map((e) => [e.status, e.endedAt])).toEqual([
        ['resolved', '2025-11-18T03:40:33.880Z'],
        ['resolved', '2025-11-18T03:41:03.880Z'],
      ]);
      expect(events[0]?.extra).toMatchObject({ firingCount: 0, resolvedCount: 2 });
    });

    it('then non-ASCII annotations and a QuoteMeta-escaped receiver come through unchanged', () => {
      expect(events[0]?.title).toBe('数据库节点磁盘空间不足');
      expect(events[0]?.message).toBe('db-sh-01:9100 上 /var/lib/mysql 可用空间低于 10%，请尽快清理 binlog 或扩容。');
      expect(events[0]?.dedupKey).toBe(key('alertmanager:alertmanager.example.cn:dba-中文\\.critical:6b39dbc653f3ed97'));
      expect(events[0]?.extra.receiver).toBe('dba-中文\\.critical');
    });

    it('then severity "warning", instance and job fill severity, culprit and project', () => {
      expect(events[1]).toMatchObject({ severity: 'warning', culprit: 'db-sh-02:9100', project: 'node-exporter', environment: 'prod-cn-sh' });
    });
  });

  describe('when one alert is firing and one resolved', () => {
    const events = eventsOf(parseAlertmanager(mixed));

    it('then each keeps its own status and the counts cover the group', () => {
      expect(events.map((e) => e.status)).toEqual(['resolved', 'firing']);
      expect(events[0]?.endedAt).toBe('2025-11-18T10:31:47.312Z');
      expect(events[1]?.endedAt).toBeUndefined();
      for (const event of events) expect(event.extra).toMatchObject({ firingCount: 1, resolvedCount: 1 });
    });

    it('then firing and resolved of one alert share the dedupKey but differ in identity', () => {
      const firingEarlier = eventsOf(parseAlertmanager(firing))[0];
      expect(events[0]?.dedupKey).toBe(firingEarlier?.dedupKey);
      expect(events[0]?.identity).not.toBe(firingEarlier?.identity);
    });
  });

  describe('when the same webhook arrives twice (a repeat or an HA peer)', () => {
    it('then both give the same events and identities', () => {
      const again = structuredClone(firing);
      expect(eventsOf(parseAlertmanager(again))).toEqual(eventsOf(parseAlertmanager(firing)));
      expect(eventsOf(parseAlertmanager(again)).map((e) => e.identity)).toEqual(eventsOf(parseAlertmanager(firing)).map((e) => e.identity));
    });
  });

  describe('when optional fields are missing', () => {
    const bare = { version: '4', alerts: [{ status: 'firing', labels: { alertname: 'Watchdog' }, startsAt: '2025-11-18T08:00:00+01:00' }] };

    it('then the alert still normalizes, with defaults', () => {
      const [event] = eventsOf(parseAlertmanager(bare));
      expect(event).toMatchObject({
        title: 'Watchdog',
        severity: 'warning',
        annotations: {},
        occurredAt: '2025-11-18T07:00:00.000Z',
        extra: { firingCount: 1, resolvedCount: 0 },
      });
      expect(event?.url).toBeUndefined();
      expect(event?.culprit).toBeUndefined();
      expect(event?.message).toBeUndefined();
    });

    it('then a missing fingerprint is computed the way Alertmanager does', () => {
      expect(labelsFingerprint({ foo: 'bar' })).toBe('3fff2c2d7595e046');
      expect(labelsFingerprint({})).toBe('cbf29ce484222325');
      const withoutFingerprint = withValue(firing, ['alerts', 0, 'fingerprint'], undefined);
      expect(eventsOf(parseAlertmanager(withoutFingerprint))[0]?.dedupKey).toBe(key(`${SCOPE}:b438e4678cd6acaf`));
    });

    it('then an alert without alertname or annotations gets a generic title', () => {
      const nameless = withValue(bare, ['alerts', 0, 'labels'], { instance: 'db-1:9100' });
      expect(eventsOf(parseAlertmanager(nameless))[0]?.title).toBe('Alertmanager alert');
    });

    it('then an empty generatorURL falls back to externalURL', () => {
      const empty = withValue(firing, ['alerts', 0, 'generatorURL'], '');
      expect(eventsOf(parseAlertmanager(empty))[0]?.url).toBe('http://alertmanager.monitoring.svc:9093');
    });

    it('then summary falls back to title, message and alertname in that order', () => {
      const noSummary = withValue(bare, ['alerts', 0, 'annotations'], { message: 'from message', title: 'from title' });
      expect(eventsOf(parseAlertmanager(noSummary))[0]?.title).toBe('from title');
    });
  });

  describe('when alerts were cut off by max_alerts', () => {
    it('then extra says how many', () => {
      const truncated = withValue(firing, ['truncatedAlerts'], 7);
      expect(eventsOf(parseAlertmanager(truncated))[0]?.extra.truncatedAlerts).toBe(7);
    });
  });

  describe('when a value is very long or the body has unknown fields', () => {
    it('then it is cut to its limit with a mark, extra says what was cut, and unknown fields are ignored', () => {
      const long = 'x'.repeat(6000);
      const body = withValue(withValue(firing, ['alerts', 0, 'annotations', 'description'], long), ['routeLabels'], { tier: '1' });
      const [event] = eventsOf(parseAlertmanager(body));
      expect(event?.message).toBe(`${'x'.repeat(LIMITS.message - 1)}…`);
      expect(event?.annotations.description).toBe(`${'x'.repeat(LIMITS.annotationValue - 1)}…`);
      expect(event?.extra.truncated).toBe('message,annotations');
    });
  });

  describe('when keys try to reach the prototype (__proto__, constructor)', () => {
    it('then __proto__ is dropped, constructor is an ordinary label and no object is polluted', () => {
      const text =
        '{"version":"4","alerts":[{"status":"firing","startsAt":"2025-11-18T08:00:00Z",' +
        '"labels":{"__proto__":{"polluted":"yes"},"constructor":"c","alertname":"X"},' +
        '"annotations":{"__proto__":"p","summary":"s"}}],"__proto__":{"polluted":"yes"}}';
      const [event] = eventsOf(parseAlertmanager(JSON.parse(text)));
      expect(event?.labels).toEqual({ constructor: 'c', alertname: 'X' });
      expect(event?.annotations).toEqual({ summary: 's' });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((event?.labels as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('when the body is not a valid v4 payload', () => {
    it.each([
      ['a custom payload without version', withValue(firing, ['version'], undefined), 'version: expected "4"'],
      ['an empty alert list', withValue(firing, ['alerts'], []), 'alerts: expected at least one alert'],
      ['an unknown alert status', withValue(firing, ['alerts', 1, 'status'], 'pending'), 'alerts[1].status: expected one of "firing"|"resolved"'],
      ['a label that is a number', withValue(firing, ['alerts', 0, 'labels', 'port'], 8080), 'alerts[0].labels.port: expected string, received number'],
      ['an unreadable startsAt', withValue(firing, ['alerts', 0, 'startsAt'], 'yesterday'), 'alerts[0].startsAt: expected an RFC 3339 time'],
      ['a JSON array', [1, 2], 'body: expected object, received array'],
      ['1001 alerts', withValue(firing, ['alerts'], Array.from({ length: 1001 }, () => valueAt(firing, ['alerts', 0]))), 'alerts: at most 1000 alerts per request; set max_alerts in the webhook_config'],
    ])('then %s gives invalid with a message naming the field', (_name, body, expected) => {
      expect(invalidMessage(parseAlertmanager(body))).toContain(expected);
    });
  });
});

describe('alertmanagerSeverity', () => {
  it.each([
    ['critical', 'critical'],
    ['PAGE', 'critical'],
    ['disaster', 'critical'],
    ['error', 'error'],
    ['High', 'error'],
    ['warning', 'warning'],
    ['warn', 'warning'],
    ['medium', 'warning'],
    ['info', 'info'],
    ['none', 'info'],
    ['low', 'info'],
    [undefined, 'warning'],
    ['P3', 'warning'],
    ['constructor', 'warning'],
  ])('when the label is %p, then the severity is %p', (label, severity) => {
    expect(alertmanagerSeverity(label)).toBe(severity);
  });
});
