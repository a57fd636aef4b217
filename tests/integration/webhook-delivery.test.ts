import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import { FAKE_WEBHOOK_SECRET, FAKE_WEBHOOK_TOKEN, WEBHOOK_REPLIES, startFakeWebhook, type FakeWebhook } from '../fakes/fake-webhook';
import { alertGroup } from '../support/alert-burst';
import { startHarness, type Harness } from '../support/gateway-harness';
import { uniquePrefix } from '../support/test-redis';
import { waitFor } from '../support/wait-for';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as { alerts: unknown[] };
const firingGroup = fixture('alertmanager-firing.json');
const resolvedGroup = fixture('alertmanager-resolved.json');
// A token-shaped path segment: the URL itself is a credential for many receivers.
const PATH_TOKEN = 'h00k-7d1f3a9c5e2b8f4a';

interface DefaultBody {
  event: { source: string; status: string; severity: string; title: string; labels: Record<string, string>; dedupKey: string };
  title: string;
  text: string;
  color: string;
}

let receiver: FakeWebhook;
let other: FakeWebhook;
let gw: Harness | undefined;
let second: Harness | undefined;
let dir: string;

beforeEach(async () => {
  const auth = { secret: FAKE_WEBHOOK_SECRET, requiredHeaders: { Authorization: FAKE_WEBHOOK_TOKEN } };
  [receiver, other] = await Promise.all([startFakeWebhook(auth), startFakeWebhook(auth)]);
  dir = mkdtempSync(join(tmpdir(), 'ngw-webhook-'));
});
afterEach(async () => {
  await second?.stop();
  await gw?.stop();
  gw = second = undefined;
  await Promise.all([receiver.close(), other.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function hook(fake: FakeWebhook, overrides: object = {}) {
  return { type: 'webhook', url: `${fake.url}/in/${PATH_TOKEN}`, secret: FAKE_WEBHOOK_SECRET, headers: { Authorization: FAKE_WEBHOOK_TOKEN }, ...overrides };
}

async function pauseTtlMs(harness: Harness, channel: string): Promise<number> {
  const queue = new Queue(`deliver.${channel}`, { connection: { url: harness.config.redis.url }, prefix: harness.config.redis.prefix });
  try {
    return await queue.getRateLimitTtl(Number.MAX_SAFE_INTEGER);
  } finally {
    await queue.close();
  }
}

function expectNoSecretIn(texts: readonly string[], extra: readonly string[] = []) {
  const all = texts.join('\n');
  for (const secret of [FAKE_WEBHOOK_SECRET, FAKE_WEBHOOK_TOKEN, FAKE_WEBHOOK_TOKEN.slice('Bearer '.length), PATH_TOKEN, ...extra]) expect(all).not.toContain(secret);
}

describe('Alertmanager to a generic webhook through the queue', () => {
  it('when a group fires and then resolves, then the receiver gets each alert as signed JSON with the normalized event, red then green, and the log says sent', async () => {
    gw = await startHarness({ channels: { 'ops-hook': hook(receiver) } }, 'webhook');

    await request(gw.url).post('/webhook/alertmanager').send(firingGroup).expect(202);
    const fired = [...(await receiver.waitForRequests(firingGroup.alerts.length, 20_000))];
    await request(gw.url).post('/webhook/alertmanager').send(resolvedGroup).expect(202);
    const all = await receiver.waitForRequests(firingGroup.alerts.length + resolvedGroup.alerts.length, 20_000);

    for (const received of all) {
      expect(received.signatureValid).toBe(true);
      expect(received.headers['content-type']).toBe('application/json');
      expect(received.path).toBe(`/in/${PATH_TOKEN}`);
    }
    const firedBodies = fired.map((r) => r.body as DefaultBody);
    const resolvedBodies = all.slice(fired.length).map((r) => r.body as DefaultBody);
    for (const body of firedBodies) {
      expect(body.event).toMatchObject({ source: 'alertmanager', status: 'firing' });
      expect(body.text).toContain(body.event.title);
      expect(['#d93025', '#f29900']).toContain(body.color);
    }
    for (const body of resolvedBodies) {
      expect(body).toMatchObject({ event: { status: 'resolved' }, color: '#1e8e3e' });
      expect(body.title).toMatch(/^\[RESOLVED\] /);
    }
    const line = await gw.waitForLog(/Alertmanager -> ops-hook sent /);
    expect(line).toMatch(/^\S+ info {2}Alertmanager -> ops-hook sent ".+" attempt=1 ms=\d+ key=\S+/);
    expectNoSecretIn(gw.logs, [all[0]!.headers['x-signature-256'] as string]);
  }, 40_000);

  it('when one receiver answers 429 with Retry-After, then only its channel pauses, the other is served, and the alerts arrive after the pause on the same attempt', async () => {
    gw = await startHarness({ delivery: { attempts: 1, backoff: '50ms', timeout: '2s' }, channels: { 'slow-hook': hook(receiver), 'ops-hook': hook(other) } }, 'webhook-429');
    receiver.script(WEBHOOK_REPLIES.tooManyRequests(2));
    const names = ['ReceiverBusy1', 'ReceiverBusy2', 'ReceiverBusy3'];

    await request(gw.url).post('/webhook/alertmanager').send(alertGroup(names)).expect(202);
    await gw.waitForLog(/Alertmanager -> slow-hook retrying "ReceiverBusy\d" .*reason=rateLimited retryIn=2s error="webhook HTTP 429: \{\\"error\\":\\"rate limit exceeded\\"\}"/);
    expect(await pauseTtlMs(gw, 'slow-hook')).toBeGreaterThan(0);

    await other.waitForRequests(names.length, 10_000);
    for (const name of names) await gw.waitForLog(new RegExp(`Alertmanager -> ops-hook sent "${name}" attempt=1 `));
    expect(await pauseTtlMs(gw, 'ops-hook')).toBe(0);

    // attempts: 1, so the refused alert arrives only because the pause used no attempt.
    const [first, ...rest] = await receiver.waitForRequests(names.length + 1, 20_000);
    // The receiver asked for 2 s: the refused alert came again only after them, byte for byte.
    const again = rest.find((r) => r.bytes.equals(first!.bytes));
    expect(again!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(2000);
    expect(rest.every((r) => r.signatureValid)).toBe(true);
    for (const name of names) await gw.waitForLog(new RegExp(`Alertmanager -> slow-hook sent "${name}" attempt=1 `));
  }, 40_000);

  it('when a receiver asks two gateways sharing a queue for a pause, then neither sends it anything before the pause is over', async () => {
    // Two processes of one deployment (README, "Scaling: ROLE"): the pause lives in Redis, not in one worker.
    const shared = { redis: { prefix: uniquePrefix('webhook-pause') }, delivery: { attempts: 1, backoff: '50ms', timeout: '5s', concurrency: 1 }, channels: { 'slow-hook': hook(receiver) } };
    gw = await startHarness(shared, 'webhook-pause');
    second = await startHarness(shared, 'webhook-pause');
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    // One worker's request is held; the other worker is told to wait 2 s. The held one is answered
    // once the pause is in Redis, and its worker then asks for the next job during the pause.
    receiver.script({ hold: released, then: 'ok' }, WEBHOOK_REPLIES.tooManyRequests(2));
    const names = ['Paused1', 'Paused2', 'Paused3', 'Paused4'];

    await request(gw.url).post('/webhook/alertmanager').send(alertGroup(names)).expect(202);
    const logs = () => [...gw!.logs, ...second!.logs];
    await waitFor(() => logs().find((line) => /Alertmanager -> slow-hook retrying "Paused\d" .*reason=rateLimited retryIn=2s/.test(line)), 'the pause');
    release();

    const requests = await receiver.waitForRequests(names.length + 1, 20_000);
    const pausedAt = requests[1]!.receivedAt;
    for (const later of requests.slice(2)) expect(later.receivedAt - pausedAt).toBeGreaterThanOrEqual(2000);
    for (const name of names) await waitFor(() => logs().find((line) => line.includes(`Alertmanager -> slow-hook sent "${name}" attempt=1 `)), `${name} sent`);
  }, 40_000);

  it('when the receiver answers 500 and then 200, then the alert is retried and sent on attempt 2', async () => {
    gw = await startHarness({ channels: { 'ops-hook': hook(receiver) } }, 'webhook-500');
    receiver.script({ status: 500, body: 'Internal Server Error' });

    await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['FlakyReceiver'])).expect(202);

    await gw.waitForLog(/Alertmanager -> ops-hook retrying "FlakyReceiver" attempt=1 .*reason=serverError error="webhook HTTP 500: Internal Server Error"/);
    await gw.waitForLog(/Alertmanager -> ops-hook sent "FlakyReceiver" attempt=2 /);
    expect(receiver.requests).toHaveLength(2);
  }, 30_000);

  it('when the receiver refuses with 422, then the job fails after one request with the receiver\'s words and no secret', async () => {
    gw = await startHarness({ channels: { 'ops-hook': hook(receiver) } }, 'webhook-422');
    receiver.script({ status: 422, body: `{"error":"unknown field","auth":"${FAKE_WEBHOOK_TOKEN}"}`, headers: { 'Content-Type': 'application/json' } });

    await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['RefusedByReceiver'])).expect(202);

    const line = await gw.waitForLog(/Alertmanager -> ops-hook failed/);
    expect(line).toMatch(/^\S+ error Alertmanager -> ops-hook failed "RefusedByReceiver" attempt=1 ms=\d+ key=\S+ reason=clientError error="webhook HTTP 422: \{\\"error\\":\\"unknown field\\",\\"auth\\":\\"\[redacted\]\\"\}"$/);
    expect(receiver.requests).toHaveLength(1);
    expectNoSecretIn(gw.logs);
  }, 30_000);

  it('when a channel has its own JSON template, then the receiver gets that body, values JSON-escaped, signed over the exact bytes', async () => {
    const template = join(dir, 'hook.hbs');
    writeFileSync(template, '{"text": "{{title}}", "state": "{{status}}", "instance": "{{culprit}}"}\n');
    gw = await startHarness({ channels: { 'ops-hook': hook(receiver, { template }) } }, 'webhook-template');
    const title = 'Quote " and backslash \\ in a summary';
    const group = alertGroup(['Templated']) as { alerts: Array<{ annotations: Record<string, string> }> };
    group.alerts[0]!.annotations.summary = title;

    await request(gw.url).post('/webhook/alertmanager').send(group).expect(202);

    const [received] = await receiver.waitForRequests(1, 10_000);
    expect(received!.signatureValid).toBe(true);
    expect(received!.body).toEqual({ text: title, state: 'firing', instance: expect.any(String) });
  }, 30_000);

  it('when a channel\'s own template is broken, then the gateway does not start, naming the channel, the file and the line', async () => {
    const template = join(dir, 'broken.hbs');
    writeFileSync(template, '{\n  "text": "{{title}}",\n  "x": "{{#if url}}{{/each}}"\n}\n');

    await expect(startHarness({ channels: { 'ops-hook': hook(receiver, { template }) } }, 'webhook-broken')).rejects.toThrow(
      `template of channel "ops-hook" (${template}, line 3)`,
    );
  });

  it('when a dry run is asked for, then the preview shows method, URL, headers and body with every credential and the signature masked, and nothing is sent', async () => {
    gw = await startHarness({ channels: { 'ops-hook': hook(receiver, { method: 'PUT', headers: { Authorization: FAKE_WEBHOOK_TOKEN, 'X-Team': 'sre' } }) } }, 'webhook-dry');

    const res = await request(gw.url).post('/test?dryRun=1').send({ source: 'alertmanager' }).expect(200);

    const [preview] = res.body.previews as Array<{ channel: string; request: { method: string; url: string; headers: Record<string, string>; body: DefaultBody } }>;
    expect(preview!.request).toMatchObject({
      method: 'PUT',
      url: `${receiver.url}/in/[redacted]`,
      headers: { Authorization: '[redacted]', 'X-Team': 'sre', 'Content-Type': 'application/json', 'X-Signature-256': 'sha256=[redacted]' },
      body: { event: { source: 'alertmanager', status: 'firing' }, title: expect.stringContaining('Checkout API'), color: expect.any(String) },
    });
    expectNoSecretIn([JSON.stringify(res.body), ...gw.logs]);
    expect(receiver.requests).toHaveLength(0);
  }, 30_000);
});
