import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import { FAKE_SLACK_BOT_TOKEN, FAKE_SLACK_CHANNEL, FAKE_SLACK_WEBHOOK_PATH, startFakeSlack, type FakeRequest, type FakeSlack } from '../fakes/fake-slack';
import { startHarness, type Harness } from '../support/gateway-harness';
import { waitFor } from '../support/wait-for';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as { alerts: Array<{ annotations: Record<string, string> }> };
const firingGroup = fixture('alertmanager-firing.json');
const resolvedGroup = fixture('alertmanager-resolved.json');
const HOOK_SECRET = FAKE_SLACK_WEBHOOK_PATH.slice('/services/'.length);

interface SlackBody {
  channel?: string;
  text: string;
  blocks: Array<{ text: { text: string } }>;
  attachments: Array<{ color: string; blocks: Array<{ text: { text: string } }> }>;
}
const bodyOf = (r: FakeRequest) => r.body as SlackBody;
const shown = (b: SlackBody) => [...b.blocks, ...b.attachments.flatMap((a) => a.blocks)].map((s) => s.text.text).join('\n');

let hookFake: FakeSlack;
let apiFake: FakeSlack;
let gw: Harness | undefined;

beforeEach(async () => {
  [hookFake, apiFake] = await Promise.all([startFakeSlack(), startFakeSlack()]);
});
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  await Promise.all([hookFake.close(), apiFake.close()]);
});

function channels() {
  return {
    'ops-slack-hook': { type: 'slack', webhookUrl: hookFake.webhookUrl },
    'ops-slack-bot': { type: 'slack', apiUrl: apiFake.url, botToken: FAKE_SLACK_BOT_TOKEN, channel: FAKE_SLACK_CHANNEL.id },
  };
}

async function jobsOf(gateway: Harness, channel: string) {
  const queue = new Queue(`deliver.${channel}`, { connection: { url: gateway.config.redis.url }, prefix: gateway.config.redis.prefix });
  try {
    const jobs = await queue.getJobs(['completed', 'failed']);
    return jobs.map((job) => ({ failedReason: job.failedReason, returnvalue: job.returnvalue as { providerMessageId?: string } | null, attemptsMade: job.attemptsMade }));
  } finally {
    await queue.close();
  }
}

function expectNoSecretIn(text: string) {
  for (const secret of [HOOK_SECRET, FAKE_SLACK_BOT_TOKEN]) expect(text).not.toContain(secret);
}

describe('Alertmanager to Slack through the queue', () => {
  it('when a firing group arrives, then the webhook and the bot each get every alert as a red or orange Block Kit message, and the bot job keeps <channel>:<ts>', async () => {
    gw = await startHarness({ channels: channels() });
    const res = await request(gw.url).post('/webhook/alertmanager').send(firingGroup).expect(202);
    expect(res.body.jobs).toHaveLength(firingGroup.alerts.length * 2);

    const [toHook, toApi] = await Promise.all([hookFake.waitForRequests(3, 15_000), apiFake.waitForRequests(3, 15_000)]);
    for (const requests of [toHook, toApi]) {
      const summaries = requests.map((r) => shown(bodyOf(r)));
      for (const alert of firingGroup.alerts) expect(summaries.some((s) => s.includes(alert.annotations.summary!.replace(/>/g, '&gt;')))).toBe(true);
      expect(requests.map((r) => bodyOf(r).attachments[0]!.color).sort()).toEqual(['#E01E5A', '#E01E5A', '#F2952F']);
      for (const r of requests) {
        expect(bodyOf(r).text).toMatch(/^\[(CRITICAL|WARNING)\] /);
        expect(bodyOf(r).blocks[0]!.text.text).toMatch(/^(🔴|🟡) \*/);
        expect(shown(bodyOf(r))).toContain('*FIRING*');
      }
    }
    for (const r of toApi) expect(r.headers.authorization).toBe(`Bearer ${FAKE_SLACK_BOT_TOKEN}`);
    expect(toApi.map((r) => bodyOf(r).channel)).toEqual([FAKE_SLACK_CHANNEL.id, FAKE_SLACK_CHANNEL.id, FAKE_SLACK_CHANNEL.id]);

    await gw.waitForLog(/info {2}Alertmanager -> ops-slack-hook sent .* attempt=1 /);
    // A job's return value is stored just after its log line: wait until all three are done.
    const botJobs = await waitFor(async () => {
      const jobs = await jobsOf(gw!, 'ops-slack-bot');
      return jobs.length === 3 && jobs;
    }, 'three completed bot jobs');
    const ids = botJobs.map((j) => j.returnvalue?.providerMessageId).sort();
    expect(ids).toEqual(apiFake.posted.map((p) => `${FAKE_SLACK_CHANNEL.id}:${p.ts}`).sort());
    expectNoSecretIn(gw.logs.join('\n'));
  });

  it('when a resolved group arrives, then each Slack message is green and says resolved', async () => {
    gw = await startHarness({ channels: channels() });
    await request(gw.url).post('/webhook/alertmanager').send(resolvedGroup).expect(202);

    const [toHook, toApi] = await Promise.all([hookFake.waitForRequests(2, 15_000), apiFake.waitForRequests(2, 15_000)]);
    for (const r of [...toHook, ...toApi]) {
      expect(bodyOf(r).attachments[0]!.color).toBe('#2EB67D');
      expect(bodyOf(r).text).toMatch(/^\[RESOLVED\] /);
      expect(shown(bodyOf(r))).toMatch(/^✅ \*[\s\S]*\*RESOLVED\*/);
    }
  });

  it('when the bot channel is throttled with 429 Retry-After: 1, then only that channel waits, and its alert goes out on the same attempt', async () => {
    gw = await startHarness({ channels: channels() });
    apiFake.script('throttled');

    await request(gw.url).post('/webhook/alertmanager').send({ ...firingGroup, alerts: firingGroup.alerts.slice(0, 1) }).expect(202);

    const [first, second] = await apiFake.waitForRequests(2, 10_000);
    const hookSent = await hookFake.waitForRequests(1, 10_000);
    // The webhook channel was not held back by the bot channel's pause.
    expect(hookSent[0]!.receivedAt).toBeLessThan(second!.receivedAt);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1000);
    await gw.waitForLog(/Alertmanager -> ops-slack-bot sent .* attempt=1 /);
    expect(gw.logs.some((line) => /warn {2}Alertmanager -> ops-slack-bot retrying .*reason=rateLimited retryIn=1s error="Slack chat\.postMessage: ratelimited"/.test(line))).toBe(true);
  });

  it.each([
    { channel: 'ops-slack-hook', answer: { webhookError: 'no_service' as const }, error: 'Slack webhook HTTP 404: no_service (the webhook was removed or disabled, or its creator left the workspace: create a new one)', reason: 'authError' },
    { channel: 'ops-slack-bot', answer: { apiError: 'channel_not_found' }, error: 'Slack chat.postMessage: channel_not_found (check the channel ID, and that the app can see the channel)', reason: 'clientError' },
  ])('when $channel answers a permanent error, then the job fails after one request with Slack\'s text in the log, and no secret', async ({ channel, answer, error, reason }) => {
    gw = await startHarness({ channels: channels() });
    const fake = channel === 'ops-slack-hook' ? hookFake : apiFake;
    fake.script(answer);

    await request(gw.url).post('/webhook/alertmanager').send({ ...firingGroup, alerts: firingGroup.alerts.slice(0, 1) }).expect(202);

    const line = await gw.waitForLog(new RegExp(`Alertmanager -> ${channel} failed`));
    expect(line).toContain(`attempt=1 `);
    expect(line).toContain(`reason=${reason} error=${JSON.stringify(error)}`);
    expect(await jobsOf(gw, channel)).toMatchObject([{ failedReason: error }]);
    expect(fake.requests).toHaveLength(1);
    expectNoSecretIn(gw.logs.join('\n'));
  });

  it('when a dry run is asked for, then each Slack channel shows its exact request with the hook secret masked and no token, and nothing is sent', async () => {
    gw = await startHarness({ channels: channels() });
    const res = await request(gw.url).post('/test?dryRun=1').send({ source: 'alertmanager' }).expect(200);

    const previews = res.body.previews as Array<{ channel: string; request: { method: string; url: string; body: SlackBody } }>;
    const byChannel = Object.fromEntries(previews.map((p) => [p.channel, p.request]));
    expect(byChannel['ops-slack-hook']).toMatchObject({ method: 'POST', url: `${hookFake.url}/services/[redacted]`, body: { attachments: [{ color: expect.any(String) }] } });
    expect(byChannel['ops-slack-bot']).toMatchObject({ method: 'POST', url: `${apiFake.url}/api/chat.postMessage`, body: { channel: FAKE_SLACK_CHANNEL.id } });
    expectNoSecretIn(JSON.stringify(res.body));
    expectNoSecretIn(gw.logs.join('\n'));
    expect(hookFake.requests).toHaveLength(0);
    expect(apiFake.requests).toHaveLength(0);
  });
});
