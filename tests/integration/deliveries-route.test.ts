import request from 'supertest';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { startHarness, type Harness } from '../support/gateway-harness';
import { waitFor } from '../support/wait-for';
import { sampleAlertmanagerPayload } from '../../src/ingest/samples';

const ADMIN_TOKEN = 'admin-token-for-tests-0123';
const WEBHOOK_TOKEN = 'webhook-token-for-tests-0123';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function channels(tg: FakeTelegram) {
  const telegram = { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), rateLimit: { max: 100, per: '1s' } };
  return { ops: telegram, backup: { ...telegram } };
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
  let tg: FakeTelegram;
  let gw: Harness | undefined;

  beforeEach(async () => {
    tg = await startFakeTelegram();
  });
  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
    await tg.close();
  });

  it('when a delivery was sent, then its status, attempts, timestamps and channel are shown, whichever queue holds it', async () => {
    gw = await startHarness({ channels: channels(tg), routes: [{ channels: ['backup'] }] });
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
    gw = await startHarness({ channels: channels(tg), routes: [{ channels: ['ops'] }] });
    tg.script('chatNotFound');
    const [job] = await postAlert(gw);
    const body = await statusOf(gw, job!.id, 'failed');
    expect(body).toMatchObject({ channel: 'ops', attempts: 1, lastError: 'Telegram 400: Bad Request: chat not found', providerMessageId: null });
    expect((body.timestamps as Record<string, unknown>).finished).toEqual(expect.stringMatching(ISO));
  });

  it('when the id is unknown, then the answer is a 404 JSON error', async () => {
    gw = await startHarness({});
    const res = await request(gw.url).get('/deliveries/0123456789abcdef0123456789abcdef').expect(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.stringContaining('no delivery with this id in the queues of console') } });
    await request(gw.url).get('/deliveries/..%2F..%2Fetc').expect(404);
  });

  it('when an admin or shared token is configured, then the route requires one of them', async () => {
    gw = await startHarness({ auth: { adminToken: ADMIN_TOKEN, token: WEBHOOK_TOKEN } });
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
