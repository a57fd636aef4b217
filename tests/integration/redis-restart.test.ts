import request from 'supertest';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { alertGroup, namesIn } from '../support/alert-burst';
import { startHarness, type Harness } from '../support/gateway-harness';
import { createThrowawayRedis, type ThrowawayRedis } from '../support/throwaway-redis';
import { waitFor } from '../support/wait-for';

const NAME = /(?:Before|Queued|After)Restart\d?/;

/** When the gateway wrote a text log line: the line starts with its ISO timestamp. */
const loggedAt = (line: string) => Date.parse(line.slice(0, line.indexOf(' ')));

/**
 * The ingest side of an outage (503, /ready, recovery) is redis-outage.test.ts; this is the
 * delivery side: workers reconnect by themselves and nothing acknowledged is lost.
 */
describe('when Redis restarts while the gateway runs', () => {
  let redis: ThrowawayRedis;
  let tg: FakeTelegram;
  let gw: Harness | undefined;

  beforeEach(async () => {
    redis = await createThrowawayRedis(); // AOF on: what Redis acknowledged survives its restart
    tg = await startFakeTelegram();
  });
  afterEach(async () => {
    await redis.start();
    await gw?.stop();
    gw = undefined;
    await tg.close();
    await redis.cleanup();
  });

  it('then workers reconnect by themselves, alerts queued before it are delivered after it, and new alerts too', async () => {
    gw = await startHarness(
      {
        redis: { url: redis.url },
        // The first retry comes 1.5-3 s after a failure: queued alerts sit in the delayed set, not
        // in a worker's hands, when Redis goes away, and fall due while it is away.
        delivery: { attempts: 10, backoff: '3s', timeout: '2s' },
        channels: { ops: { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), rateLimit: { max: 100, per: '1s' } } },
      },
      'redis-restart',
    );
    const post = (names: string[]) => request(gw!.url).post('/webhook/alertmanager').send(alertGroup(names));
    let upAt = Infinity;
    /** What the provider received since it came back up. */
    const delivered = () => tg.requests.filter((r) => r.receivedAt >= upAt).flatMap((r) => namesIn(r.body, NAME));

    await post(['BeforeRestart']).expect(202);
    await gw.waitForLog(/ -> ops sent "BeforeRestart" attempt=1/);

    // The provider goes down; these are acknowledged and fail their first attempt.
    tg.respondWith('badGatewayHtml');
    const queued = ['QueuedRestart1', 'QueuedRestart2', 'QueuedRestart3'];
    await post(queued).expect(202);
    await waitFor(() => queued.every((name) => tg.requests.some((r) => namesIn(r.body, NAME).includes(name))), 'a failed attempt of each queued alert');
    const retriesDueBy = tg.requests[tg.requests.length - 1]!.receivedAt + 3500;

    const stoppedAt = Date.now();
    await redis.stop();
    // The outage lasts until the gateway has noticed it, so reconnecting is really put to work.
    await gw.waitForLog(/warn {2}Redis unreachable/);
    await post(['DuringOutage']).expect(503);
    // The outage outlasts the queued alerts' retry times: it ends only after the gateway's own log
    // shows a reconnect attempt that was refused once they had fallen due.
    await waitFor(
      () => gw!.logs.some((line) => / queue error(?: again)?: connect ECONNREFUSED /.test(line) && loggedAt(line) >= retriesDueBy),
      'a refused reconnect to Redis after the retries fell due',
      retriesDueBy - Date.now() + 10_000,
    );
    // The provider recovers while Redis is away: whatever is delivered next was kept by Redis.
    upAt = Date.now();
    tg.respondWith('ok');
    await redis.start();
    const backAt = Date.now();

    // Nothing pokes the workers: they find Redis again on their own.
    await waitFor(async () => (await request(gw!.url).get('/ready')).status === 200, '/ready after the restart');
    await post(['AfterRestart']).expect(202);
    await waitFor(() => delivered().length >= 4, 'the queued alerts and the new one', 20_000);
    await gw.waitForLog(/ -> ops sent "AfterRestart" attempt=1/);
    for (const name of queued) await gw.waitForLog(new RegExp(` -> ops sent "${name}" attempt=2`));

    const arrival = (name: string) => tg.requests.find((r) => r.receivedAt >= upAt && namesIn(r.body, NAME).includes(name))!.receivedAt - backAt;
    console.log(`Redis down ${backAt - stoppedAt} ms; after it was back: queued alerts delivered in ${queued.map(arrival).join('/')} ms, the new one in ${arrival('AfterRestart')} ms`);

    expect(delivered().sort()).toEqual(['AfterRestart', ...queued]);
    expect(tg.requests.some((r) => namesIn(r.body, /DuringOutage/).length > 0)).toBe(false);
  }, 45_000);
});
