import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN } from '../fakes/fake-telegram';
import { telegramGatewayPerTest } from '../support/telegram-gateway-per-test';
import { messageText } from '../support/telegram-message';
import { waitFor } from '../support/wait-for';

const fixture = <T>(name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as T;

/** The same Sentry issue, seen again: a new event id each time, as Sentry sends a storm. */
function eventAlert(n: number) {
  const body = fixture<{ data: { event: { event_id: string } } }>('sentry-event-alert.json');
  body.data.event.event_id = `${n.toString(16).padStart(8, '0')}${'0'.repeat(24)}`;
  return body;
}

function issue(action: 'created' | 'resolved' | 'unresolved') {
  const body = fixture<{ action: string; data: { issue: { status: string } } }>(action === 'resolved' ? 'sentry-issue-resolved.json' : 'sentry-issue-created.json');
  body.action = action;
  if (action === 'unresolved') body.data.issue.status = 'unresolved';
  return body;
}

describe('per-issue dedup and digests, end to end', () => {
  const suite = telegramGatewayPerTest();

  const start = (dedup: Record<string, unknown>, delivery?: Record<string, unknown>) =>
    suite.startGateway({
      dedup,
      // One message per notification: these tests are about digests (README, "One message per incident" has the edits).
      lifecycle: { edit: false },
      ...(delivery && { delivery }),
      channels: {
        ops: { type: 'telegram', apiUrl: suite.tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), rateLimit: { max: 50, per: '1s' } },
        stdout: { type: 'console' },
      },
    }, 'dedup');

  it('when 200 events of one Sentry issue arrive in a burst, then each channel gets one message and, after the window, one digest counting 199', async () => {
    const { tg } = suite;
    const gw = await start({ window: '2s' });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'event_alert').send(eventAlert(i))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(200).fill(202));

    const [first, digest] = await tg.waitForRequests(2, 15_000);
    expect(messageText(first!.body)).toContain('PricingError');
    expect(messageText(digest!.body)).toContain('199 more events in the last 2 s');
    await waitFor(() => gw.printed.length >= 2 || undefined, 'the console digest', 15_000);
    expect(gw.printed).toHaveLength(2);
    expect(gw.printed[1]).toContain('199 more events');
    expect(gw.logs.filter((line) => / -> ops suppressed /.test(line))).toHaveLength(199);
    await gw.waitForLog(/ -> ops sent .*digest=199/);
    // Nothing else is coming: every queue is empty once the digest went out.
    const metrics = await request(gw.url).get('/metrics');
    expect(metrics.text).toMatch(/notification_gateway_deliveries_total\{channel="ops",outcome="suppressed"[^}]*\} 199/);
    expect(tg.requests).toHaveLength(2);
  });

  it('when an issue fires, resolves and fires again within the window, then all three messages are sent, in order', async () => {
    const { tg } = suite;
    const gw = await start({ window: '5m' });
    for (const action of ['created', 'resolved', 'unresolved'] as const) {
      await request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'issue').send(issue(action)).expect(202);
    }
    const sent = await tg.waitForRequests(3, 15_000);
    expect(sent.map((r) => (/RESOLVED|✅/.test(messageText(r.body)) ? 'resolved' : 'firing'))).toEqual(['firing', 'resolved', 'firing']);
  });

  it('when the firing message is still being retried, then its resolved message waits for it', async () => {
    const { tg } = suite;
    // Backoff long enough that, without the ordering, the resolved message would go out in between.
    const gw = await start({ window: '5m' }, { attempts: 3, backoff: '1s', timeout: '2s' });
    tg.script('internalError', 'internalError');
    await request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'issue').send(issue('created')).expect(202);
    await tg.waitForRequests(1);
    await request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'issue').send(issue('resolved')).expect(202);
    // Two failed attempts of the firing message, then both messages.
    const sent = await tg.waitForRequests(4, 15_000);
    expect(sent.map((r) => (/RESOLVED|✅/.test(messageText(r.body)) ? 'resolved' : 'firing'))).toEqual(['firing', 'firing', 'firing', 'resolved']);
  });

  it('when the same webhook is posted twice, then one message is sent', async () => {
    const { tg } = suite;
    const gw = await start({ window: '0ms' });
    const body = issue('created');
    const first = await request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'issue').send(body).expect(202);
    await tg.waitForRequests(1);
    // Sentry retried after a timeout; dedup is off (window 0), so only idempotent ingest can stop it.
    const second = await request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'issue').send(body).expect(202);
    expect(second.body.jobs).toEqual(first.body.jobs);
    // A later, different alert is delivered after anything the retry could have caused.
    await request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'issue').send(issue('resolved')).expect(202);
    const sent = await tg.waitForRequests(2);
    expect(sent.map((r) => (/RESOLVED|✅/.test(messageText(r.body)) ? 'resolved' : 'firing'))).toEqual(['firing', 'resolved']);
    expect(tg.requests).toHaveLength(2);
  });

  it('when digests are turned off, then repeats are only counted and logged', async () => {
    const { tg } = suite;
    const gw = await start({ window: '1s', digest: false });
    for (let i = 0; i < 5; i++) {
      await request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'event_alert').send(eventAlert(i)).expect(202);
    }
    await waitFor(() => gw.logs.filter((line) => / -> ops suppressed /.test(line)).length === 4 || undefined, 'four suppressed lines');
    await tg.waitForRequests(1);
    const queued = await request(gw.url).get('/metrics');
    expect(queued.text).toMatch(/notification_gateway_queue_jobs\{queue="deliver.ops",state="delayed"\} 0/);
    expect(tg.requests).toHaveLength(1);
  });
});
