import request from 'supertest';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { startHarness } from '../support/gateway-harness';
import { uniquePrefix } from '../support/test-redis';
import { sampleAlertmanagerPayload } from '../../src/ingest/operator/samples';

describe('graceful shutdown', () => {
  let tg: FakeTelegram;
  beforeEach(async () => {
    tg = await startFakeTelegram();
  });
  afterEach(async () => {
    await tg.close();
  });

  it('when stopping while a delivery hangs, then stop ends after the grace period and the alert is delivered after restart', async () => {
    const config = {
      shutdownGrace: '300ms',
      delivery: { attempts: 5, backoff: '50ms', timeout: '20s' },
      channels: { ops: { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id) } },
      redis: { prefix: uniquePrefix('shutdown') },
    };
    tg.script('hang');
    const first = await startHarness(config);
    await request(first.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);
    await tg.waitForRequests(1);

    const stopping = Date.now();
    await first.gateway.stop();
    // Bounded by the grace period, not by the 20 s the hung request would otherwise take.
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(first.logs.some((line) => line.includes('deliveries still running after 300 ms; aborting them, they will be retried'))).toBe(true);

    const second = await startHarness(config);
    try {
      await second.waitForLog(/Alertmanager -> ops sent .* attempt=2 /);
      expect(tg.requests).toHaveLength(2);
    } finally {
      await second.stop();
    }
  });

  it('when stopping with nothing in flight, then the HTTP port is closed afterwards', async () => {
    const gw = await startHarness({});
    await request(gw.url).get('/health').expect(200);
    await gw.stop();
    await expect(request(gw.url).get('/health')).rejects.toThrow(/ECONNREFUSED/);
  });
});
