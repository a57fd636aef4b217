import { Queue } from 'bullmq';
import request from 'supertest';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { alertGroup, namesIn } from '../support/alert-burst';
import { startHarness, type Harness } from '../support/gateway-harness';

const HOUR_MS = 3_600_000;
const PAUSED_UNTIL = 'notification_gateway_channel_paused_until_seconds{channel="ops"}';

function telegram(tg: FakeTelegram) {
  return { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), rateLimit: { max: 100, per: '1s' } };
}

/** How long Redis still holds the provider's pause of a channel's queue, in ms (0 when not paused). */
async function pauseTtlMs(gw: Harness, channel: string): Promise<number> {
  const queue = new Queue(`deliver.${channel}`, { connection: { url: gw.config.redis.url }, prefix: gw.config.redis.prefix });
  try {
    // Queue.rateLimit() marks a provider pause with this count; the pacing limiter counts jobs.
    return await queue.getRateLimitTtl(Number.MAX_SAFE_INTEGER);
  } finally {
    await queue.close();
  }
}

async function pausedUntilMetric(gw: Harness): Promise<number | undefined> {
  const { text } = await request(gw.url).get('/metrics').expect(200);
  const line = text.split('\n').find((l) => l.startsWith(`${PAUSED_UNTIL} `));
  return line === undefined ? undefined : Number(line.slice(PAUSED_UNTIL.length + 1));
}

describe('a provider asking to wait far too long', () => {
  let tg: FakeTelegram | undefined;
  let otherTg: FakeTelegram | undefined;
  let gw: Harness | undefined;

  afterEach(async () => {
    await gw?.stop();
    await Promise.all([tg?.close(), otherTg?.close()]);
    gw = tg = otherTg = undefined;
  });

  it('when Telegram answers 429 retry_after=99999999, then the channel pauses for delivery.maxRetryAfter (1h by default), and /ready and /metrics name it', async () => {
    [tg, otherTg] = await Promise.all([startFakeTelegram(), startFakeTelegram()]);
    gw = await startHarness({ channels: { ops: telegram(tg), other: telegram(otherTg) } }, 'pause-cap');
    tg.script({ tooManyRequests: 99_999_999 });

    await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['ThrottledForYears'])).expect(202);
    await gw.waitForLog(/ -> ops retrying "ThrottledForYears" .*reason=rateLimited/);
    const before = Date.now();

    const ttl = await pauseTtlMs(gw, 'ops');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(HOUR_MS);
    expect(gw.logs.some((line) => / -> ops retrying "ThrottledForYears" .*retryIn=3600s .*capped by delivery\.maxRetryAfter/.test(line))).toBe(true);

    // Paused is not unready: the gateway still takes alerts, and says which channel waits until when.
    const ready = await request(gw.url).get('/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready', paused: [{ channel: 'ops', until: expect.any(String) }] });
    const until = Date.parse((ready.body as { paused: Array<{ until: string }> }).paused[0]!.until);
    expect(until).toBeGreaterThan(before);
    expect(until).toBeLessThanOrEqual(Date.now() + HOUR_MS);

    const metric = await pausedUntilMetric(gw);
    expect(metric).toBeGreaterThan(before / 1000);
    expect(metric).toBeLessThanOrEqual((Date.now() + HOUR_MS) / 1000);
    const { text } = await request(gw.url).get('/metrics').expect(200);
    expect(text).toContain('notification_gateway_channel_paused_until_seconds{channel="other"} 0\n');
  }, 30_000);

  it('when a proxy answers 429 with Retry-After: 99999999 and maxRetryAfter is 4s, then the channel pauses at most 4 s and the alert is delivered after it', async () => {
    tg = await startFakeTelegram();
    gw = await startHarness({ delivery: { attempts: 1, backoff: '50ms', timeout: '2s', maxRetryAfter: '4s' }, channels: { ops: telegram(tg) } }, 'pause-header');
    tg.script({ status: 429, body: '<html><h1>429 Too Many Requests</h1></html>', headers: { 'Content-Type': 'text/html', 'Retry-After': '99999999' } });

    await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['ProxyThrottled'])).expect(202);
    await gw.waitForLog(/ -> ops retrying "ProxyThrottled" .*reason=rateLimited retryIn=4s/);

    const ttl = await pauseTtlMs(gw, 'ops');
    expect(ttl).toBeLessThanOrEqual(4000);

    // attempts: 1, so the alert arrives only because the capped wait used no attempt.
    const requests = await tg.waitForRequests(2, 20_000);
    expect(namesIn(requests[1]!.body, /ProxyThrottled/)).toEqual(['ProxyThrottled']);
    await gw.waitForLog(/ -> ops sent "ProxyThrottled"/);
    await request(gw.url).get('/ready').expect(200, { status: 'ready' });
    expect(await pausedUntilMetric(gw)).toBe(0);
  }, 40_000);
});
