import request from 'supertest';
import { startFakeSentryIngest, type FakeSentryIngest } from '../fakes/fake-sentry-ingest';
import { alertGroup } from '../support/alert-burst';
import { startHarness } from '../support/gateway-harness';

const TOKEN = 'webhook-token-that-must-not-leave-0123';

describe('self-monitoring with SENTRY_DSN', () => {
  let sentry: FakeSentryIngest;
  beforeEach(async () => {
    sentry = await startFakeSentryIngest();
  });
  afterEach(async () => {
    await sentry.close();
  });

  it('when a delivery fails for good on an internal error, then Sentry gets one event for it, without the alert or any secret', async () => {
    const gw = await startHarness({ auth: { token: TOKEN }, selfMonitoring: { sentryDsn: sentry.dsn }, channels: { stdout: { type: 'console' } } }, 'selfmon');
    let stopped = false;
    try {
      // The console channel's writer blows up: a bug in the gateway's own code path, not a provider's answer.
      (gw as unknown as { printed: { push(): never } }).printed.push = () => {
        throw new TypeError(`console writer exploded while holding ${TOKEN}`);
      };
      await request(gw.url).post('/webhook/alertmanager').set('Authorization', `Bearer ${TOKEN}`).send(alertGroup(['SecretPayloadTitle'])).expect(202);
      await gw.waitForLog(/Alertmanager -> stdout failed .*attempt=3/);
      // Stopping flushes the SDK's buffer, so what was reported has arrived when it resolves.
      await gw.stop();
      stopped = true;
      const events = sentry.events();
      expect(events).toHaveLength(1);
      const text = JSON.stringify(events[0]);
      expect(text).toContain('console writer exploded while holding [redacted]');
      expect(text).toContain('TypeError');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('SecretPayloadTitle');
      expect(events[0]).toMatchObject({ tags: { where: 'delivery to stdout' } });
      expect(events[0]).not.toHaveProperty('request');
    } finally {
      if (!stopped) await gw.stop();
    }
  });

  it('when SENTRY_DSN is unset, then nothing is sent anywhere', async () => {
    const gw = await startHarness({ channels: { stdout: { type: 'console' } } }, 'selfmon-off');
    (gw as unknown as { printed: { push(): never } }).printed.push = () => {
      throw new TypeError('console writer exploded');
    };
    await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['Quiet'])).expect(202);
    await gw.waitForLog(/Alertmanager -> stdout failed .*attempt=3/);
    await gw.stop();
    expect(sentry.http.requests).toHaveLength(0);
  });
});
