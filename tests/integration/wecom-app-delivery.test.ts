import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import { alertGroup } from '../support/alert-burst';
import type { FakeRequest } from '../fakes/fake-http';
import { FAKE_AGENT_ID, FAKE_CORP_ID, FAKE_CORP_SECRET, startFakeWecomApp, type FakeWecomApp, type FakeWecomAppOptions } from '../fakes/fake-wecom-app';
import { startHarness, type Harness } from '../support/gateway-harness';
import { postAlertGroups } from '../support/post-alert-groups';
import { uniquePrefix } from '../support/test-redis';
import { waitFor } from '../support/wait-for';

const firingGroup = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'alertmanager-firing.json'), 'utf8')) as { alerts: unknown[] };
const resolvedGroup = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'alertmanager-resolved.json'), 'utf8')) as { alerts: unknown[] };
const BURST_NAME = /WecomAppAlert\d{3}/g;

let fake: FakeWecomApp;
let gateways: Harness[] = [];

afterEach(async () => {
  // Workers first, the api last: its stop() removes the test's keys.
  for (const gw of gateways.reverse()) await gw.stop();
  gateways = [];
  await fake.close();
});

function app(overrides: Record<string, unknown> = {}) {
  return { type: 'wecom-app', apiUrl: fake.url, corpId: FAKE_CORP_ID, corpSecret: FAKE_CORP_SECRET, agentId: FAKE_AGENT_ID, toUser: ['zhangsan', 'lisi'], ...overrides };
}

async function start(raw: Record<string, unknown>, label = 'wecomapp'): Promise<Harness> {
  const gw = await startHarness(raw, label);
  gateways.push(gw);
  return gw;
}

/** One api and `workers` worker gateways in this process, sharing one Redis prefix: separate connections, channels and token caches. */
async function startSplit(workers: number, channels: Record<string, unknown>): Promise<{ api: Harness; workers: Harness[] }> {
  const redis = { prefix: uniquePrefix('wecomapp-split') };
  const delivery = { attempts: 3, backoff: '50ms', timeout: '5s' };
  const api = await start({ role: 'api', redis, delivery, channels });
  const started: Harness[] = [];
  for (let i = 0; i < workers; i++) started.push(await start({ role: 'worker', redis, delivery, channels }));
  return { api, workers: started };
}

async function jobStates(gw: Harness, channel: string): Promise<Record<string, number>> {
  const queue = new Queue(`deliver.${channel}`, { connection: { url: gw.config.redis.url }, prefix: gw.config.redis.prefix });
  try {
    return await queue.getJobCounts('completed', 'failed', 'waiting', 'delayed', 'active', 'prioritized', 'waiting-children');
  } finally {
    await queue.close();
  }
}

function markdownOf(body: unknown): string {
  return (body as { markdown: { content: string } }).markdown.content;
}

function namesIn(sends: readonly FakeRequest[]): string[] {
  return [...new Set(sends.flatMap((r) => markdownOf(r.body).match(BURST_NAME) ?? []))].sort();
}

/** Neither the app secret nor any token the fake handed out may appear in a log line. */
function expectNoSecretsIn(lines: readonly string[], tokens: readonly string[]): void {
  const text = lines.join('\n');
  for (const secret of [FAKE_CORP_SECRET, ...tokens]) expect(text).not.toContain(secret);
}

async function startFake(options: FakeWecomAppOptions = {}): Promise<void> {
  fake = await startFakeWecomApp(options);
}

describe('Alertmanager to WeCom application messages through the queue', () => {
  it('when a firing and then a resolved group arrive, then each alert reaches the app recipients as markdown, orange while firing and green once resolved, on one token', async () => {
    await startFake();
    const gw = await start({ locale: 'zh-CN', channels: { 'ops-app': app({ rateLimit: { max: 50, per: '1s' } }) } });

    await request(gw.url).post('/webhook/alertmanager').send(firingGroup).expect(202);
    const firing = await fake.waitForRequests(1 + firingGroup.alerts.length, 10_000);
    await request(gw.url).post('/webhook/alertmanager').send(resolvedGroup).expect(202);
    await waitFor(() => fake.sends.length === firingGroup.alerts.length + resolvedGroup.alerts.length, 'every alert sent', 15_000);

    expect(fake.tokenRequests).toBe(1);
    expect(firing[0]!.path).toBe('/cgi-bin/gettoken');
    for (const send of fake.sends) {
      expect(send.body).toMatchObject({ touser: 'zhangsan|lisi', agentid: FAKE_AGENT_ID, msgtype: 'markdown' });
      expect(Buffer.byteLength(markdownOf(send.body), 'utf8')).toBeLessThanOrEqual(2048);
    }
    const [firstFiring] = fake.sends;
    expect(markdownOf(firstFiring!.body)).toContain('<font color="warning">告警</font>');
    const resolved = fake.sends.slice(firingGroup.alerts.length);
    for (const send of resolved) expect(markdownOf(send.body)).toMatch(/<font color="info">已恢复<\/font>/);
    await gw.waitForLog(/info {2}Alertmanager -> ops-app sent ".*" attempt=1 /);
    expectNoSecretsIn(gw.logs, [fake.currentToken!]);
  });

  it('when 100 alerts are delivered by 4 worker gateways sharing Redis, then gettoken is called exactly once and every alert arrives', async () => {
    await startFake({ gettokenDelayMs: 300, perMemberPerMinute: 1000 });
    const { api, workers } = await startSplit(4, { 'ops-app': app({ rateLimit: { max: 200, per: '1s' } }) });
    const names = Array.from({ length: 100 }, (_, i) => `WecomAppAlert${String(i).padStart(3, '0')}`);

    await postAlertGroups(api.url, names, 10);

    await waitFor(async () => (await jobStates(api, 'ops-app')).completed === 100, '100 completed jobs', 60_000);
    expect(await jobStates(api, 'ops-app')).toMatchObject({ failed: 0, waiting: 0, delayed: 0, active: 0 });
    expect(fake.tokenRequests).toBe(1);
    expect(fake.sends).toHaveLength(100);
    expect(namesIn(fake.sends)).toEqual(names);
    // More than one worker gateway delivered: the token really was shared between them.
    const sentBy = workers.map((w) => w.logs.filter((l) => / -> ops-app sent /.test(l)).length);
    expect(sentBy.reduce((a, b) => a + b, 0)).toBe(100);
    expect(sentBy.filter((n) => n > 0).length).toBeGreaterThan(1);
    for (const gw of [api, ...workers]) expectNoSecretsIn(gw.logs, [fake.currentToken!]);
  }, 90_000);

  it('when WeCom expires the token in the middle of a burst, then one refresh serves all 4 worker gateways and no alert is lost, retried or failed', async () => {
    await startFake({ gettokenDelayMs: 200, perMemberPerMinute: 1000 });
    const { api, workers } = await startSplit(4, { 'ops-app': app({ rateLimit: { max: 200, per: '1s' } }) });
    const names = Array.from({ length: 60 }, (_, i) => `WecomAppAlert${String(i).padStart(3, '0')}`);

    await postAlertGroups(api.url, names.slice(0, 20), 10);
    await waitFor(async () => (await jobStates(api, 'ops-app')).completed === 20, '20 completed jobs', 30_000);
    const oldToken = fake.currentToken!;
    fake.expireToken();
    await postAlertGroups(api.url, names.slice(20), 10);

    await waitFor(async () => (await jobStates(api, 'ops-app')).completed === 60, '60 completed jobs', 60_000);
    expect(await jobStates(api, 'ops-app')).toMatchObject({ failed: 0, waiting: 0, delayed: 0, active: 0 });
    expect(fake.tokenRequests).toBe(2);
    // The first sends after the expiry still used the stored token, met 42001 and were resent with the new one.
    const [before, after] = [fake.sends.slice(0, 20), fake.sends.slice(20)];
    expect(before.every((r) => r.query.access_token === oldToken)).toBe(true);
    expect(after.filter((r) => r.query.access_token === oldToken).length).toBeGreaterThan(0);
    const accepted = [...before, ...after.filter((r) => r.query.access_token === fake.currentToken)];
    expect(accepted).toHaveLength(60);
    expect(namesIn(accepted)).toEqual(names);
    const logs = workers.flatMap((w) => w.logs);
    expect(logs.filter((l) => / -> ops-app sent ".*" attempt=1 /.test(l))).toHaveLength(60);
    expect(logs.filter((l) => / -> ops-app (retrying|failed) /.test(l))).toEqual([]);
    for (const gw of [api, ...workers]) expectNoSecretsIn(gw.logs, [oldToken, fake.currentToken!]);
  }, 90_000);

  it("when the server's IP is not trusted (60020), then the job fails once with WeCom's text and what to do, and no secret is logged", async () => {
    await startFake({ trustedIp: false });
    const gw = await start({ channels: { 'ops-app': app() } });

    await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['UntrustedIp'])).expect(202);

    const line = await gw.waitForLog(/Alertmanager -> ops-app failed/);
    expect(line).toMatch(/^\S+ error Alertmanager -> ops-app failed "UntrustedIp" attempt=1 ms=\d+ key=\S+ reason=authError error="WeCom app message\/send errcode 60020: not allow to access from your ip, hint: .*from ip: 127\.0\.0\.1.* \(add this server's public IP 127\.0\.0\.1 to the app's trusted IPs, 企业可信IP, in the WeCom admin console\)"$/);
    expect(await jobStates(gw, 'ops-app')).toMatchObject({ failed: 1, completed: 0 });
    expect(fake.sends).toHaveLength(1);
    expectNoSecretsIn(gw.logs, [fake.currentToken!]);
  });

  it('when WeCom skips an unknown recipient, then the alert is sent and a warn line names the recipient', async () => {
    await startFake();
    const gw = await start({ channels: { 'ops-app': app({ toUser: ['zhangsan', 'ghost'] }) } });

    await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['PartlyDelivered'])).expect(202);

    await gw.waitForLog(/info {2}Alertmanager -> ops-app sent "PartlyDelivered" attempt=1 /);
    const warning = await gw.waitForLog(/ -> ops-app sent with a warning/);
    expect(warning).toMatch(/^\S+ warn {2}Alertmanager -> ops-app sent with a warning: WeCom app skipped recipients: invaliduser=ghost key=alertmanager:\S+$/);
  });

  it('when WeCom throttles the app (45009), then only that channel pauses for throttlePause and delivers on the same attempt', async () => {
    await startFake();
    const gw = await start({ channels: { 'ops-app': app({ throttlePause: '3s' }), other: { type: 'console' } } });
    fake.script('freqLimit');

    await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['Throttled'])).expect(202);
    await gw.waitForLog(/warn {2}Alertmanager -> ops-app retrying "Throttled" .*reason=rateLimited retryIn=3s error="WeCom app message\/send errcode 45009: api freq out of limit/);

    // While ops-app waits, the other channel goes on delivering.
    await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['WhilePaused'])).expect(202);
    await gw.waitForLog(/Alertmanager -> other sent "WhilePaused"/);
    expect(fake.sends).toHaveLength(1);

    await gw.waitForLog(/Alertmanager -> ops-app sent "Throttled" attempt=1 /, 15_000);
    await gw.waitForLog(/Alertmanager -> ops-app sent "WhilePaused" attempt=1 /, 15_000);
    const [first, second] = fake.sends;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(3000);
    expect(fake.tokenRequests).toBe(1);
  });

  it('when a dry run is asked for, then it shows the message/send request with the token masked, sends nothing and fetches no token', async () => {
    await startFake();
    const gw = await start({ channels: { 'ops-app': app({ toParty: [2] }) } });

    const res = await request(gw.url).post('/test?dryRun=1').send({ source: 'alertmanager' }).expect(200);

    const [preview] = res.body.previews as Array<{ channel: string; request: { method: string; url: string; body: Record<string, unknown> } }>;
    expect(preview).toMatchObject({
      channel: 'ops-app',
      request: { method: 'POST', url: `${fake.url}/cgi-bin/message/send?access_token=[redacted]`, body: { touser: 'zhangsan|lisi', toparty: '2', agentid: FAKE_AGENT_ID, msgtype: 'markdown' } },
    });
    expect(JSON.stringify(res.body)).not.toContain(FAKE_CORP_SECRET);
    expect(fake.requests).toHaveLength(0);
  });
});
