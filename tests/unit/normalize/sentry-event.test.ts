import { parseSentry } from '../../../src/normalize/sentry';
import { invalidMessage, onlyEvent as only } from './expect-result';
import { loadFixture, valueAt, withValue } from './load-fixture';
import { fixedKey } from '../../../src/normalize/fixed-key';
import { LIMITS } from '../../../src/normalize/limits';

/** How a composed key looks once bounded: fixed length, hashed. */
const key = (composed: string) => fixedKey('sentry', composed);

const NOW = new Date('2030-01-01T00:00:00.000Z');
const INSTALL = 'b3e1d7a2-5c4f-4a9b-8e2d-6f0a1c9b7e35';
const ISSUE_KEY = `sentry:${INSTALL}:issue:6089314527`;

const issueCreated = loadFixture('sentry-issue-created.json');
const eventAlert = loadFixture('sentry-event-alert.json');
const errorCreated = loadFixture('sentry-error-created.json');

describe('parseSentry, event_alert and error webhooks', () => {
  it('when a Python event with a chained exception triggers a rule, then the raised exception and top in-app frame are used', () => {
    const event = only(parseSentry('event_alert', eventAlert, NOW));
    const value = 'Не удалось рассчитать цену для SKU «КМ-2048»\nкорзина: 3 позиции, купон «ЗИМА25»';
    expect(event).toMatchObject({
      status: 'firing',
      severity: 'error',
      title: 'PricingError: Не удалось рассчитать цену для SKU «КМ-2048»',
      message: value,
      culprit: 'orders/pricing.py:88 in apply_discounts',
      project: 'orders-api',
      environment: 'production',
      release: 'orders-api@2025.11.18+3f9e2c1',
      url: 'https://sentry.io/organizations/lumen-retail/issues/6089314527/events/9f2c4b1e7a3d4c5b8e6f0a1b2c3d4e5f/',
      occurredAt: '2025-11-18T09:41:40.731Z',
      dedupKey: key(ISSUE_KEY),
      identity: key(`${ISSUE_KEY}:event_alert.triggered:9f2c4b1e7a3d4c5b8e6f0a1b2c3d4e5f:Checkout errors → #ops-alerts (Köln)`),
      extra: {
        eventId: '9f2c4b1e7a3d4c5b8e6f0a1b2c3d4e5f',
        issueId: '6089314527',
        exceptionType: 'PricingError',
        exceptionValue: value,
        platform: 'python',
        triggeredRule: 'Checkout errors → #ops-alerts (Köln)',
      },
    });
    expect(event.labels).toMatchObject({ server_name: 'orders-api-7d9c8b6f5-x2kqp', user: 'id:71234', transaction: '/api/v1/checkout' });
  });

  it('when an event alert and issue.created arrive for one issue, then they share the dedupKey', () => {
    expect(only(parseSentry('event_alert', eventAlert, NOW)).dedupKey).toBe(only(parseSentry('issue', issueCreated, NOW)).dedupKey);
  });

  // Sparse events: what the parser takes from elsewhere, and what it leaves unset rather than guess.
  it.each([
    {
      name: 'when the event is message-only, then title and message come from the log entry',
      fixture: 'sentry-event-alert-message-only.json',
      expected: {
        severity: 'warning',
        title: 'Payment provider answered 502 for order 7731-A',
        message: 'Payment provider answered 502 for order 7731-A\nretry 2 of 5 scheduled in 30s',
        culprit: 'orders.payments in capture',
        environment: 'staging',
        extra: { triggeredRule: 'Payment warnings', issueId: '6090022871' },
      },
      unset: ['extra.exceptionType'],
    },
    {
      name: 'when an old Sentry sends no title, level, culprit or exception.values, then metadata and timestamp fill in',
      fixture: 'sentry-event-alert-minimal.json',
      expected: {
        severity: 'error',
        title: 'PDOException: SQLSTATE[HY000] [2002] Connection refused',
        project: 'billing-portal',
        url: 'https://sentry.ops.example.net/organizations/acme/issues/1187/events/5e4d3c2b1a0948f7a6b5c4d3e2f1a0b9/',
        occurredAt: '2025-11-18T10:16:50.870Z',
        dedupKey: key('sentry:0f6e2d4c-8a1b-4c3d-9e5f-7a6b5c4d3e21:issue:1187'),
        extra: { exceptionType: 'PDOException', exceptionValue: 'SQLSTATE[HY000] [2002] Connection refused', issueId: '1187' },
      },
      unset: ['culprit', 'environment', 'release', 'message'],
    },
    {
      name: 'when a browser event has no culprit and no level key, then the in-app frame locates it and the level defaults to error',
      fixture: 'sentry-event-alert-js-no-culprit-no-level.json',
      expected: {
        severity: 'error',
        title: 'TypeError: Failed to fetch',
        culprit: '/src/api/cart.ts:41 in submitCart',
        project: 'storefront',
        environment: 'production',
        release: 'storefront@5.2.0',
        occurredAt: '2025-11-18T12:03:09.114Z',
        dedupKey: key('sentry:0f6e2d4c-8a1b-4c3d-9e5f-7a6b5c4d3e21:issue:2231'),
        extra: { exceptionType: 'TypeError', exceptionValue: 'Failed to fetch', platform: 'javascript', triggeredRule: 'Storefront: new unhandled errors' },
        labels: { 'browser.name': 'Chrome', handled: 'no' },
      },
      unset: ['message'],
    },
  ])('$name', ({ fixture, expected, unset }) => {
    const event = only(parseSentry('event_alert', loadFixture(fixture), NOW));
    expect(event).toMatchObject(expected);
    for (const path of unset) expect(valueAt(event, path.split('.'))).toBeUndefined();
  });

  it('when timestamps are absurd numbers, then they are skipped rather than thrown on', () => {
    const body = withValue(withValue(withValue(errorCreated, ['data', 'error', 'datetime'], 'not a time'), ['data', 'error', 'timestamp'], 1e300), ['data', 'error', 'received'], -1e20);
    expect(only(parseSentry('error', body, NOW)).occurredAt).toBe(NOW.toISOString());
  });

  it('when an error is created and the newest frame is a library, then the culprit is the last in-app frame', () => {
    expect(only(parseSentry('error', errorCreated, NOW))).toMatchObject({
      severity: 'critical',
      title: "TypeError: Cannot read properties of undefined (reading 'reserved')",
      culprit: 'app:///dist/services/inventory.js:57 in InventoryService.reserve',
      project: 'inventory-service',
      release: 'inventory-service@4.12.0',
      dedupKey: key(`sentry:${INSTALL}:issue:6090120934`),
      identity: key(`sentry:${INSTALL}:issue:6090120934:error.created:c41b7f0e2d9a4e6b93c8a5f1d0e7b2a4`),
    });
  });

  it('when no frame is in-app, then the culprit is the newest frame', () => {
    const frames = valueAt(errorCreated, ['data', 'error', 'exception', 'values', 0, 'stacktrace', 'frames']);
    const noneInApp = Array.isArray(frames) ? frames.map((frame: object) => ({ ...frame, in_app: false })) : [];
    const body = withValue(errorCreated, ['data', 'error', 'exception', 'values', 0, 'stacktrace', 'frames'], noneInApp);
    expect(only(parseSentry('error', body, NOW)).culprit).toBe('app:///node_modules/ioredis/built/Pipeline.js:318 in Pipeline.exec');
  });

  it('when frames hold nulls, then they are skipped', () => {
    const frames = [null, { filename: null, function: null, lineno: null, in_app: null }, { filename: 'app.py', function: 'main', lineno: null, in_app: null }];
    const body = withValue(errorCreated, ['data', 'error', 'exception', 'values', 0, 'stacktrace', 'frames'], frames);
    expect(only(parseSentry('error', body, NOW)).culprit).toBe('app.py in main');
  });

  it('when the event has no time at all, then the given now is used', () => {
    const body = withValue(withValue(withValue(errorCreated, ['data', 'error', 'datetime'], undefined), ['data', 'error', 'timestamp'], undefined), ['data', 'error', 'received'], null);
    expect(only(parseSentry('error', body, NOW)).occurredAt).toBe('2030-01-01T00:00:00.000Z');
  });

  it('when the exception value is very long, then it is cut to its limit with a mark', () => {
    const long = 'é'.repeat(6000);
    const body = withValue(errorCreated, ['data', 'error', 'exception', 'values', 0, 'value'], long);
    expect(only(parseSentry('error', body, NOW)).extra.exceptionValue).toBe(`${'é'.repeat(LIMITS.extraValue - 1)}…`);
  });

  it('when a frame line number is a string, then it is invalid and names the frame', () => {
    const body = withValue(errorCreated, ['data', 'error', 'exception', 'values', 0, 'stacktrace', 'frames', 2, 'lineno'], '57');
    expect(invalidMessage(parseSentry('error', body, NOW))).toContain(
      'data.error.exception.values[0].stacktrace.frames[2].lineno: expected number, received string',
    );
  });
});

describe('parseSentry, legacy WebHooks plugin', () => {
  const legacy = loadFixture('sentry-legacy-plugin.json');

  it('when no Sentry-Hook-Resource header comes with a plugin body, then it is read as the legacy plugin', () => {
    const event = only(parseSentry(undefined, legacy, NOW));
    expect(event).toMatchObject({
      severity: 'error',
      title: 'OperationalError: could not connect to server: Connection timed out',
      message: 'Internal Server Error: /api/v1/stock/sync',
      culprit: 'inventory/sync.py:118 in pull_stock',
      project: 'inventory-service',
      environment: 'production',
      release: 'inventory@3.8.1',
      url: 'https://sentry.ops.example.net/organizations/acme/issues/1042/?referrer=webhooks_plugin',
      occurredAt: '2025-11-18T10:40:00.287Z',
      dedupKey: key('sentry-legacy:sentry.ops.example.net:issue:1042'),
      identity: key('sentry-legacy:sentry.ops.example.net:issue:1042:event:7be2c9d41f0a4b8e96d3c5a7f1e2b3c4'),
      extra: { issueId: '1042', triggeredRule: 'Notify ops on new DB errors', projectName: 'Inventory Service', exceptionType: 'OperationalError' },
    });
    // The plugin's "sentry:" tag prefix is dropped, so routes see the same label names as for the Integration Platform.
    expect(event.labels).toMatchObject({ release: 'inventory@3.8.1', user: 'id:5521', server_name: 'inv-app-2' });
  });

  it('when the header is present but empty, then detection still looks at the body', () => {
    expect(only(parseSentry('  ', legacy, NOW)).dedupKey).toBe(key('sentry-legacy:sentry.ops.example.net:issue:1042'));
  });

  it('when an old plugin sends no event, then the body fields still make an event', () => {
    const event = only(parseSentry(undefined, withValue(legacy, ['event'], undefined), NOW));
    expect(event).toMatchObject({ title: 'Internal Server Error: /api/v1/stock/sync', culprit: 'inventory.sync in pull_stock', occurredAt: NOW.toISOString() });
  });

  it('when the plugin id is a number, then it is invalid', () => {
    expect(invalidMessage(parseSentry(undefined, withValue(legacy, ['id'], 1042), NOW))).toContain('id: expected string, received number');
  });
});
