import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import { RETENTION } from '../../src/queue/queues';
import { alertGroup, namesIn } from '../support/alert-burst';
import type { Harness } from '../support/gateway-harness';
import { fakeTelegramChannel } from '../support/fake-telegram-channel';
import { telegramGatewayPerTest } from '../support/telegram-gateway-per-test';
import { waitFor } from '../support/wait-for';

const ADMIN_TOKEN = 'admin-token-for-tests-0123';
const WEBHOOK_TOKEN = 'webhook-token-for-tests-0123';
const ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const CHAT_NOT_FOUND = 'Telegram 400: Bad Request: chat not found';

interface DeadLetter {
  id: string;
  channel: string;
  kind: string;
  source: string;
  title: string;
  attempts: number;
  lastError: string | null;
  failedAt: string;
}
interface FailedPage {
  total: number;
  limit: number;
  jobs: DeadLetter[];
}

/** Posts one Alertmanager alert titled `name`; returns its delivery jobs. */
async function postAlert(gw: Harness, name: string, headers: Record<string, string> = {}): Promise<Array<{ id: string; channel: string }>> {
  const res = await request(gw.url).post('/webhook/alertmanager').set(headers).send(alertGroup([name])).expect(202);
  return (res.body as { jobs: Array<{ id: string; channel: string }> }).jobs;
}

function failedPage(gw: Harness, query = '', headers: Record<string, string> = ADMIN) {
  return request(gw.url).get(`/deliveries/failed${query}`).set(headers);
}

/** Polls GET /deliveries/failed until it counts `total` failed jobs. */
function failedTotal(gw: Harness, total: number, headers: Record<string, string> = ADMIN): Promise<FailedPage> {
  return waitFor(async () => {
    const res = await failedPage(gw, '', headers);
    return res.status === 200 && (res.body as FailedPage).total === total ? (res.body as FailedPage) : undefined;
  }, `${total} failed deliveries`);
}

describe('dead letters: GET /deliveries/failed and POST /deliveries/:jobId/retry', () => {
  const suite = telegramGatewayPerTest();

  it('when Telegram answers "chat not found", then the job is listed with the provider\'s answer, and after a retry the message arrives', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway({ auth: { adminToken: ADMIN_TOKEN, allowOpen: ['/webhook/alertmanager'] }, channels: { ops: fakeTelegramChannel(tg) } }, 'deadletter');
    tg.script('chatNotFound', 'ok');
    const [job] = await postAlert(gw, 'DeadLetterAlert');

    const page = await failedTotal(gw, 1);
    expect(page).toEqual({
      total: 1,
      limit: 50,
      jobs: [{ id: job!.id, channel: 'ops', kind: 'alert', source: 'alertmanager', title: 'DeadLetterAlert', attempts: 1, lastError: CHAT_NOT_FOUND, failedAt: expect.stringMatching(ISO) }],
    });
    expect(tg.requests).toHaveLength(1);

    const retried = await request(gw.url).post(`/deliveries/${job!.id}/retry`).set(ADMIN).expect(202);
    expect(retried.body).toEqual({ id: job!.id, channel: 'ops', status: expect.stringMatching(/^(waiting|active|completed)$/) });

    const [, again] = await tg.waitForRequests(2);
    expect(namesIn(again!.body, /DeadLetterAlert/)).toEqual(['DeadLetterAlert']);
    await waitFor(async () => {
      const res = await request(gw.url).get(`/deliveries/${job!.id}`).set(ADMIN);
      return (res.body as { status?: string }).status === 'completed';
    }, 'the retried delivery to complete');
    // A fresh set of attempts: the retry is attempt 1 again, and the failed list is empty.
    await gw.waitForLog(/ -> ops sent "DeadLetterAlert" attempt=1 /);
    await failedTotal(gw, 0);
  });

  it('when a delivery is not failed, then a retry answers 409 with its state; an unknown id answers 404', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway({ channels: { ops: fakeTelegramChannel(tg) } }, 'deadletter');
    const [job] = await postAlert(gw, 'SentAlert');
    await tg.waitForRequests(1);
    await waitFor(async () => (await request(gw.url).get(`/deliveries/${job!.id}`)).body.status === 'completed', 'the delivery to complete');

    const conflict = await request(gw.url).post(`/deliveries/${job!.id}/retry`).expect(409);
    expect(conflict.body).toEqual({ error: { code: 'not_failed', message: expect.stringContaining('is completed, not failed') } });
    const unknown = await request(gw.url).post('/deliveries/0123456789abcdef0123456789abcdef/retry').expect(404);
    expect(unknown.body.error.code).toBe('not_found');
    await request(gw.url).post('/deliveries/..%2F..%2Fetc/retry').expect(404);
    expect(tg.requests).toHaveLength(1);
  });

  it('when several channels hold failed jobs, then the list spans them, newest first, and ?limit bounds it (default 50, at most 500)', async () => {
    const wrongChat = '-1009999999999';
    const { tg } = suite;
    const gw = await suite.startGateway({ channels: { ops: fakeTelegramChannel(tg, wrongChat), backup: fakeTelegramChannel(tg, wrongChat) } }, 'deadletter');
    for (const [i, name] of ['FirstFailure', 'SecondFailure', 'ThirdFailure'].entries()) {
      await postAlert(gw, name);
      await failedTotal(gw, 2 * (i + 1)); // one failure per channel, so the failure times are ordered by alert
    }

    const all = (await failedPage(gw).expect(200)).body as FailedPage;
    expect(all.total).toBe(6);
    expect(all.jobs.map((j) => j.title)).toEqual(['ThirdFailure', 'ThirdFailure', 'SecondFailure', 'SecondFailure', 'FirstFailure', 'FirstFailure']);
    expect(new Set(all.jobs.slice(0, 2).map((j) => j.channel))).toEqual(new Set(['ops', 'backup']));
    const times = all.jobs.map((j) => Date.parse(j.failedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.jobs.every((j) => j.lastError === CHAT_NOT_FOUND)).toBe(true);

    const two = (await failedPage(gw, '?limit=2').expect(200)).body as FailedPage;
    expect(two).toMatchObject({ total: 6, limit: 2 });
    expect(two.jobs.map((j) => j.id)).toEqual(all.jobs.slice(0, 2).map((j) => j.id));
    expect(((await failedPage(gw, '?limit=1000').expect(200)).body as FailedPage).limit).toBe(500);
    for (const bad of ['0', '-1', 'abc', '2.5', '']) {
      const res = await failedPage(gw, `?limit=${bad}`).expect(400);
      expect(res.body.error).toEqual({ code: 'invalid_query', message: expect.stringContaining('from 1 to 500') });
    }
  });

  it('when a delivery failed, then Redis keeps it with the provider\'s answer under the bounded retention', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway({ channels: { ops: fakeTelegramChannel(tg) } }, 'deadletter');
    tg.script('chatNotFound');
    const [job] = await postAlert(gw, 'RetainedFailure');
    await failedTotal(gw, 1, {});

    const connection = new Redis(gw.config.redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('deliver.ops', { connection, prefix: gw.config.redis.prefix });
    try {
      const stored = await queue.getJob(job!.id);
      expect(stored?.failedReason).toBe(CHAT_NOT_FOUND);
      expect(stored?.opts.removeOnFail).toEqual(RETENTION.failed);
      expect(RETENTION.failed.count).toBeLessThanOrEqual(10_000);
      expect(RETENTION.failed.age).toBeLessThanOrEqual(14 * 24 * 3600);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  describe('access', () => {
    it('when an admin token is set, then only the admin token opens both routes (not the shared webhook token)', async () => {
      const { tg } = suite;
      const gw = await suite.startGateway({ auth: { adminToken: ADMIN_TOKEN, token: WEBHOOK_TOKEN }, channels: { ops: fakeTelegramChannel(tg) } }, 'deadletter');
      tg.script('chatNotFound');
      const [job] = await postAlert(gw, 'GuardedFailure', { Authorization: `Bearer ${WEBHOOK_TOKEN}` });
      await failedTotal(gw, 1);

      const missing = await failedPage(gw, '', {}).expect(401);
      expect(missing.body.error.code).toBe('missing_credentials');
      expect(missing.headers['www-authenticate']).toMatch(/^Basic realm=/);
      await failedPage(gw, '', { Authorization: `Bearer ${WEBHOOK_TOKEN}` }).expect(401);
      await request(gw.url).get(`/deliveries/failed?token=${WEBHOOK_TOKEN}`).expect(401);
      await request(gw.url).get('/deliveries/failed').auth('ops', ADMIN_TOKEN).expect(200);
      await request(gw.url).post(`/deliveries/${job!.id}/retry`).expect(401);
      await request(gw.url).post(`/deliveries/${job!.id}/retry`).set('Authorization', `Bearer ${WEBHOOK_TOKEN}`).expect(401);
      expect(tg.requests).toHaveLength(1);
      await request(gw.url).post(`/deliveries/${job!.id}/retry`).set(ADMIN).expect(202);
      await tg.waitForRequests(2);
    });

    it('when only the shared token is set, then it opens both routes; without it they answer 401', async () => {
      const { tg } = suite;
      const gw = await suite.startGateway({ auth: { token: WEBHOOK_TOKEN }, channels: { ops: fakeTelegramChannel(tg) } }, 'deadletter');
      const shared = { Authorization: `Bearer ${WEBHOOK_TOKEN}` };
      tg.script('chatNotFound');
      const [job] = await postAlert(gw, 'SharedTokenFailure', shared);
      await failedTotal(gw, 1, shared);
      await failedPage(gw, '', {}).expect(401);
      await request(gw.url).post(`/deliveries/${job!.id}/retry`).expect(401);
      await request(gw.url).post(`/deliveries/${job!.id}/retry`).set(shared).expect(202);
      await tg.waitForRequests(2);
    });
  });
});
