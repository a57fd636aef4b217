import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import request from 'supertest';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN } from '../fakes/fake-telegram';
import type { Harness } from '../support/gateway-harness';
import { telegramGatewayPerTest } from '../support/telegram-gateway-per-test';
import { messageText } from '../support/telegram-message';
import { testRedisUrl } from '../support/test-redis';
import { waitFor } from '../support/wait-for';

/** One alert of the fixture group, still firing: Alertmanager re-sends exactly this at each repeat_interval. */
function stillFiring(): Record<string, unknown> {
  const group = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'alertmanager-firing.json'), 'utf8')) as { alerts: unknown[] };
  return { ...group, alerts: group.alerts.slice(0, 1) };
}

describe('repeats after the dedup window and the webhook memory', () => {
  const suite = telegramGatewayPerTest();
  let redis: Redis;

  beforeEach(() => {
    redis = new Redis(testRedisUrl());
  });
  afterEach(() => redis.disconnect());

  // Short windows so the repeat comes "hours later" within a test; the memory outlasts the window.
  const start = () =>
    suite.startGateway({
      dedup: { window: '200ms', remember: '300ms' },
      channels: { ops: { type: 'telegram', apiUrl: suite.tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id) } },
    }, 'repeat');

  /** Waits on Redis, not a clock: once the seen marker expired, the window (shorter) is over too. */
  const forgotten = (gw: Harness) =>
    waitFor(async () => (await redis.keys(`${gw.config.redis.prefix}:seen:*`)).length === 0 || undefined, 'the webhook memory to expire');

  const post = (gw: Harness) => request(gw.url).post('/webhook/alertmanager').send(stillFiring()).expect(202);

  it('when an alert is still firing at its next repeat, after the window and the memory, then it is delivered again as a new message', async () => {
    const { tg } = suite;
    const gw = await start();
    const first = await post(gw);
    await tg.waitForRequests(1);
    await gw.waitForLog(/Alertmanager -> ops sent /);
    await forgotten(gw);

    const repeat = await post(gw);
    // A new notification gets a delivery of its own, not the finished one of before.
    expect(repeat.body.jobs[0].id).not.toBe(first.body.jobs[0].id);
    const [, second] = await tg.waitForRequests(2);
    expect(messageText(second!.body)).toContain('HighRequestLatency');
    await waitFor(() => gw.logs.filter((line) => /Alertmanager -> ops sent /.test(line)).length === 2 || undefined, 'a second sent line');
  });

  it('when a delivery failed for good and the provider is fixed, then the same alert sent again after the window is delivered', async () => {
    const { tg } = suite;
    tg.script('chatNotFound');
    const gw = await start();
    await post(gw);
    await gw.waitForLog(/Alertmanager -> ops failed .*chat not found/);
    await forgotten(gw);

    await post(gw);
    const [, second] = await tg.waitForRequests(2);
    expect(messageText(second!.body)).toContain('HighRequestLatency');
    await gw.waitForLog(/Alertmanager -> ops sent /);
  });
});
