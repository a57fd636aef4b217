import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { alertGroup, namesIn } from '../support/alert-burst';
import { startHarness, type Harness } from '../support/gateway-harness';
import { waitFor } from '../support/wait-for';

const ARTIFACTS = process.env.ARTIFACTS_DIR ?? join(__dirname, '..', '..', 'artifacts');

function telegram(tg: FakeTelegram, rateLimit: { max: number; per: string }) {
  return { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), rateLimit };
}

/** The most requests that arrived within any `windowMs` (each request opening a window). */
function busiestWindow(times: readonly number[], windowMs: number): number {
  return Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + windowMs).length));
}

function record(name: string, value: unknown): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, name), `${JSON.stringify(value, null, 2)}\n`);
}

describe('per-destination rate limits', () => {
  const fakes: FakeTelegram[] = [];
  let gw: Harness | undefined;

  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
    await Promise.all(fakes.splice(0).map((fake) => fake.close()));
  });

  it('when 30 alerts go to a channel limited to 5 per 2 s, then a provider counting over a sliding 2 s never throttles and all 30 arrive', async () => {
    const tg = await startFakeTelegram({ limit: { max: 5, perMs: 2000 } });
    fakes.push(tg);
    // dedup off: the test is about pacing, every alert must reach the channel.
    gw = await startHarness({ dedup: { window: 0 }, channels: { ops: telegram(tg, { max: 5, per: '2s' }) } }, 'ratelimit');
    const names = Array.from({ length: 30 }, (_, i) => `PacedAlert${String(i).padStart(2, '0')}`);

    await request(gw.url).post('/webhook/alertmanager').send(alertGroup(names)).expect(202);

    // One message every 2000/5 * 1.05 = 420 ms: about 12.2 s for 30.
    await waitFor(() => gw!.logs.filter((line) => / -> ops sent /.test(line)).length === 30, '30 "sent" lines', 30_000);
    const times = tg.requests.map((r) => r.receivedAt);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const pacing = {
      alerts: 30,
      limit: '5 per 2 s (sliding)',
      requests: tg.requests.length,
      rateLimitAnswers: tg.rateLimited,
      busiestTwoSeconds: busiestWindow(times, 2000),
      minGapMs: Math.min(...gaps),
      // The closest any 6 consecutive messages came: under 2000 ms the 6th would be throttled.
      tightestSixMs: Math.min(...times.slice(5).map((t, i) => t - times[i]!)),
      totalMs: times[times.length - 1]! - times[0]!,
    };
    record('rate-limit-pacing.json', { ...pacing, gapsMs: gaps });
    console.log(`30 alerts at 5 per 2 s: ${JSON.stringify(pacing)}`);

    expect(tg.rateLimited).toBe(0);
    expect(tg.requests).toHaveLength(30);
    expect(tg.requests.flatMap((r) => namesIn(r.body, /PacedAlert\d{2}/)).sort()).toEqual(names);
    expect(gw.logs.filter((line) => /reason=rateLimited/.test(line))).toEqual([]);
  }, 45_000);

  it('when Telegram answers 429 retry_after=2, then that channel waits 2 s, another channel keeps delivering meanwhile, and the alert is sent without using an attempt', async () => {
    const throttled = await startFakeTelegram();
    const other = await startFakeTelegram();
    fakes.push(throttled, other);
    // attempts: 1, so the alert can only arrive if the 429 did not use up its attempt.
    gw = await startHarness(
      {
        delivery: { attempts: 1, backoff: '50ms', timeout: '2s' },
        channels: { ops: telegram(throttled, { max: 100, per: '1s' }), other: telegram(other, { max: 100, per: '1s' }) },
      },
      'throttle',
    );
    throttled.script({ tooManyRequests: 2 });

    const first = await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['ThrottledAlert'])).expect(202);
    const [answered429] = await throttled.waitForRequests(1);
    // Posted once ops is paused: these reach "other" while ops waits.
    await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['DuringPause1', 'DuringPause2', 'DuringPause3'])).expect(202);

    const opsRequests = await throttled.waitForRequests(5, 15_000);
    const otherRequests = await other.waitForRequests(4);
    await gw.waitForLog(/ -> ops sent "ThrottledAlert"/);
    const pausedAt = answered429!.receivedAt;
    const waitedMs = opsRequests[1]!.receivedAt - pausedAt;
    const duringPause = otherRequests.filter((r) => r.receivedAt > pausedAt && r.receivedAt < pausedAt + 2000);
    const measured = {
      retryAfterS: 2,
      opsWaitedMs: waitedMs,
      otherRequestsDuringPause: duringPause.length,
      otherFirstAfter429Ms: Math.min(...duringPause.map((r) => r.receivedAt)) - pausedAt,
    };
    record('rate-limit-429.json', measured);
    console.log(`429 retry_after=2: ${JSON.stringify(measured)}`);

    expect(waitedMs).toBeGreaterThanOrEqual(2000);
    expect(duringPause.flatMap((r) => namesIn(r.body, /DuringPause\d/)).sort()).toEqual(['DuringPause1', 'DuringPause2', 'DuringPause3']);
    // The throttled alert went out after the pause, on its first (and only) attempt.
    const opsNames = opsRequests.slice(1).flatMap((r) => namesIn(r.body, /ThrottledAlert|DuringPause\d/));
    expect(opsNames.sort()).toEqual(['DuringPause1', 'DuringPause2', 'DuringPause3', 'ThrottledAlert']);
    expect(gw.logs.some((line) => /warn {2}Alertmanager -> ops retrying "ThrottledAlert" attempt=1 .*reason=rateLimited retryIn=2s/.test(line))).toBe(true);
    expect(gw.logs.some((line) => /info {2}Alertmanager -> ops sent "ThrottledAlert" attempt=1 /.test(line))).toBe(true);
    const { id } = (first.body.jobs as Array<{ id: string; channel: string }>).find((j) => j.channel === 'ops')!;
    const queue = new Queue('deliver.ops', { connection: { url: gw.config.redis.url }, prefix: gw.config.redis.prefix });
    try {
      const job = await queue.getJob(id);
      expect(await job?.getState()).toBe('completed');
      expect(job?.attemptsMade).toBe(1);
    } finally {
      await queue.close();
    }
  }, 30_000);
});
