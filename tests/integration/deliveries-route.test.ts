import request from 'supertest';
import type { FakeTelegram } from '../fakes/fake-telegram';
import type { Harness } from '../support/gateway-harness';
import { fakeTelegramChannel } from '../support/fake-telegram-channel';
import { telegramGatewayPerTest } from '../support/telegram-gateway-per-test';
import { waitFor } from '../support/wait-for';
import { sampleAlertmanagerPayload } from '../../src/ingest/operator/samples';

const ADMIN_TOKEN = 'admin-token-for-tests-0123';
const WEBHOOK_TOKEN = 'webhook-token-for-tests-0123';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function channels(tg: FakeTelegram) {
  return { ops: fakeTelegramChannel(tg), backup: fakeTelegramChannel(tg) };
}

async function postAlert(gw: Harness, headers: Record<string, string> = {}): Promise<Array<{ id: string; channel: string }>> {
  const res = await request(gw.url).post('/webhook/alertmanager').set(headers).send(sampleAlertmanagerPayload(new Date()) as object).expect(202);
  return (res.body as { jobs: Array<{ id: string; channel: string }> }).jobs;
}

/** Polls GET /deliveries/:id until its status is `status`. */
function statusOf(gw: Harness, id: string, status: string, headers: Record<string, string> = {}) {
  return waitFor(async () => {
    const res = await request(gw.url).get(`/deliveries/${id}`).set(headers);
    return res.status === 200 && (res.body as { status: string }).status === status ? (res.body as Record<string, unknown>) : undefined;
  }, `delivery ${id} to be ${status}`);
}

describe('GET /deliveries/:jobId', () => {
  const suite = telegramGatewayPerTest();

  it('when a delivery was sent, then its status, attempts, timestamps and channel are shown, whichever queue holds it', async () => {
    const gw = await suite.startGateway({ channels: channels(suite.tg), routes: [{ channels: ['backup'] }] });
    const before = Date.now();
    const [job] = await postAlert(gw);
    expect(job!.channel).toBe('backup');

    const body = await statusOf(gw, job!.id, 'completed');
    expect(body).toEqual({
      id: job!.id,
      channel: 'backup',
      status: 'completed',
      attempts: 1,
      maxAttempts: 3,
      lastError: null,
      providerMessageId: expect.stringMatching(/^\d+$/),
      source: 'alertmanager',
      title: 'Checkout API 5xx rate is 7.2% (threshold 5%)',
      timestamps: { received: expect.stringMatching(ISO), queued: expect.stringMatching(ISO), processed: expect.stringMatching(ISO), finished: expect.stringMatching(ISO) },
    });
    const at = (name: string) => Date.parse((body.timestamps as Record<string, string>)[name]!);
    expect(at('received')).toBeGreaterThanOrEqual(before - 1);
    expect(at('processed')).toBeGreaterThanOrEqual(at('received'));
    expect(at('finished')).toBeGreaterThanOrEqual(at('processed'));
  });

  it('when a delivery failed for good, then the provider\'s answer is shown', async () => {
    const gw = await suite.startGateway({ channels: channels(suite.tg), routes: [{ channels: ['ops'] }] });
    suite.tg.script('chatNotFound');
    const [job] = await postAlert(gw);
    const body = await statusOf(gw, job!.id, 'failed');
    expect(body).toMatchObject({ channel: 'ops', attempts: 1, lastError: 'Telegram 400: Bad Request: chat not found', providerMessageId: null });
    expect((body.timestamps as Record<string, unknown>).finished).toEqual(expect.stringMatching(ISO));
  });

  it('when the id is unknown, then the answer is a 404 JSON error', async () => {
    const gw = await suite.startGateway({});
    const res = await request(gw.url).get('/deliveries/0123456789abcdef0123456789abcdef').expect(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.stringContaining('no delivery with this id in the queues of console') } });
    await request(gw.url).get('/deliveries/..%2F..%2Fetc').expect(404);
  });

  it('when an admin or shared token is configured, then the route requires one of them', async () => {
    const gw = await suite.startGateway({ auth: { adminToken: ADMIN_TOKEN, token: WEBHOOK_TOKEN } });
    const [job] = await postAlert(gw, { Authorization: `Bearer ${WEBHOOK_TOKEN}` });
    const missing = await request(gw.url).get(`/deliveries/${job!.id}`).expect(401);
    expect(missing.body.error.code).toBe('missing_credentials');
    expect(missing.headers['www-authenticate']).toMatch(/^Basic realm=/);
    await request(gw.url).get(`/deliveries/${job!.id}`).set('Authorization', 'Bearer wrong').expect(401);
    await statusOf(gw, job!.id, 'completed', { Authorization: `Bearer ${ADMIN_TOKEN}` });
    await request(gw.url).get(`/deliveries/${job!.id}`).set('Authorization', `Bearer ${WEBHOOK_TOKEN}`).expect(200);
    await request(gw.url).get(`/deliveries/${job!.id}`).auth('anyone', ADMIN_TOKEN).expect(200);
  });
});
