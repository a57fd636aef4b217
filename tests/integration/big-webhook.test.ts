import request from 'supertest';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, type FakeTelegram } from '../fakes/fake-telegram';
import { startHarness } from '../support/gateway-harness';
import { storedJobs } from '../support/stored-jobs';
import { redisBytes } from '../support/redis-bytes';
import { telegramGatewayPerTest } from '../support/telegram-gateway-per-test';
import { messageText } from '../support/telegram-message';

const MiB = 1024 * 1024;

function telegramConfig(tg: FakeTelegram) {
  return {
    channels: { ops: { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), rateLimit: { max: 1000, per: '1s' } } },
    dedup: { window: '0s' },
  };
}

/**
 * An Alertmanager group of `count` alerts filling `bytes` (just under the 1 MiB body limit): a
 * long --web.external-url takes half, each alert's description shares the rest. Before fields
 * were capped and group facts stored once, such a webhook put hundreds of MiB into Redis.
 */
function bigGroup(count: number, bytes = MiB - 16 * 1024) {
  const externalURL = `http://alertmanager.example/${'u'.repeat(bytes / 2)}`;
  const perAlert = Math.floor(bytes / 2 / count) - 200;
  return {
    version: '4',
    status: 'firing',
    receiver: 'ops',
    groupKey: '{}:{alertname="Big"}',
    externalURL,
    groupLabels: { alertname: 'Big' },
    commonLabels: { alertname: 'Big' },
    alerts: Array.from({ length: count }, (_, i) => ({
      status: 'firing',
      labels: { alertname: 'Big', instance: `host-${i}` },
      annotations: { summary: `disk ${i} full`, description: 'd'.repeat(Math.max(0, perAlert)) },
      startsAt: '2026-11-22T10:00:00Z',
      fingerprint: `f${i}`,
    })),
  };
}

describe('a webhook of a megabyte', () => {
  const suite = telegramGatewayPerTest();

  it('when a 1 MiB group of 30 alerts with a long externalURL is delivered, then Redis holds a few MiB for it, not hundreds', async () => {
    const gw = await suite.startGateway(telegramConfig(suite.tg), 'big30');
    const body = JSON.stringify(bigGroup(30));
    expect(body.length).toBeGreaterThan(MiB - 32 * 1024);
    await request(gw.url).post('/webhook/alertmanager').set('Content-Type', 'application/json').send(body).expect(202);
    const sent = await suite.tg.waitForRequests(30, 30_000);
    // The link all alerts share is stored once, and still reaches every message (cut to the URL limit).
    for (const { body: message } of sent) expect(messageText(message)).toMatch(/<a href="http:\/\/alertmanager\.example\/u{2000}u*…">/);
    // Every intake and delivery job (kept after completion), dedup and seen markers under this gateway's prefix.
    expect(await redisBytes(gw.config.redis.prefix)).toBeLessThanOrEqual(5 * MiB);
  }, 60_000);

  it('when a value is longer than its limit, then the message shows it cut with a mark', async () => {
    const gw = await suite.startGateway(telegramConfig(suite.tg), 'bigcut');
    const group = bigGroup(1, 8 * 1024);
    group.alerts[0]!.labels.instance = 'i'.repeat(3000);
    await request(gw.url).post('/webhook/alertmanager').send(group).expect(202);
    const [sent] = await suite.tg.waitForRequests(1);
    const text = messageText(sent!.body);
    // The instance is the culprit line, which the template shows whole: the cut is normalization's.
    expect(text).toContain(`<code>${'i'.repeat(255)}…</code>`);
  });

  it('when an alert has a huge fingerprint, then its log lines stay short', async () => {
    const gw = await suite.startGateway(telegramConfig(suite.tg), 'bigkey');
    const group = bigGroup(1, 8 * 1024);
    group.alerts[0]!.fingerprint = 'f'.repeat(200_000);
    await request(gw.url).post('/webhook/alertmanager').send(group).expect(202);
    const line = await gw.waitForLog(/Alertmanager -> ops sent/);
    expect(line).toMatch(/key=alertmanager:[\w-]{43}/);
    expect(Math.max(...gw.logs.map((l) => l.length))).toBeLessThan(2000);
  });
});

describe('a webhook of a megabyte with many alerts', () => {
  it.each([100, 1000])('when a 1 MiB group of %i alerts arrives, then it is stored compactly and /health still answers', async (count) => {
    const gw = await startHarness({ role: 'api' }, `big${count}`);
    try {
      const res = await request(gw.url).post('/webhook/alertmanager').set('Content-Type', 'application/json').send(JSON.stringify(bigGroup(count)));
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ accepted: count });
      await request(gw.url).get('/health').expect(200);
      expect(await redisBytes(gw.config.redis.prefix)).toBeLessThanOrEqual(5 * MiB);
    } finally {
      await gw.stop();
    }
  }, 60_000);
});

describe('a webhook still too big once normalized', () => {
  it('when its alerts take more than the per-webhook limit, then 413 names the limit and nothing is stored', async () => {
    // Only reachable with a raised body limit: 1000 alerts of 10 KiB each, every one distinct.
    const gw = await startHarness({ role: 'api', ingest: { bodyLimit: '20mb' } }, 'bigjob');
    try {
      const group = bigGroup(1000, 1024);
      group.alerts.forEach((alert, i) => (alert.annotations.description = `${i}`.padEnd(10_000, 'd')));
      const res = await request(gw.url).post('/webhook/alertmanager').set('Content-Type', 'application/json').send(JSON.stringify(group));
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
      expect(res.body.error.message).toContain('4194304-byte limit per webhook');
      expect(await storedJobs(gw.config.redis.prefix)).toEqual([]);
      await request(gw.url).get('/health').expect(200);
    } finally {
      await gw.stop();
    }
  }, 60_000);
});
