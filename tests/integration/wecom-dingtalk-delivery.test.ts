import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import { FAKE_DINGTALK_SECRET, FAKE_DINGTALK_TOKEN, startFakeDingtalk, type FakeDingtalk } from '../fakes/fake-dingtalk';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { FAKE_WECOM_KEY, startFakeWecom, type FakeWecom } from '../fakes/fake-wecom';
import { startHarness, type Harness } from '../support/gateway-harness';

const TITLE = 'PricingError: Не удалось рассчитать цену для SKU «КМ-2048»';
const KEYWORD = '告警';
const eventAlert = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'sentry-event-alert.json'), 'utf8')) as object;
const resolvedGroup = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'alertmanager-resolved.json'), 'utf8')) as { alerts: unknown[] };

let tg: FakeTelegram;
let wecom: FakeWecom;
let dingtalk: FakeDingtalk;
let gw: Harness;

beforeEach(async () => {
  [tg, wecom, dingtalk] = await Promise.all([startFakeTelegram(), startFakeWecom(), startFakeDingtalk({ secret: FAKE_DINGTALK_SECRET, keywords: [KEYWORD] })]);
});
afterEach(async () => {
  await gw?.stop();
  await Promise.all([tg.close(), wecom.close(), dingtalk.close()]);
});

function channels(overrides: { wecom?: object; dingtalk?: object } = {}) {
  return {
    'ops-telegram': { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id) },
    'ops-wecom': { type: 'wecom', apiUrl: wecom.url, key: FAKE_WECOM_KEY, mentionUserIds: ['zhangsan'], ...overrides.wecom },
    'ops-dingtalk': { type: 'dingtalk', apiUrl: dingtalk.url, accessToken: FAKE_DINGTALK_TOKEN, secret: FAKE_DINGTALK_SECRET, keyword: KEYWORD, mentionMobiles: ['13800001111'], ...overrides.dingtalk },
  };
}

async function postSentry(): Promise<Array<{ id: string; channel: string }>> {
  const res = await request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'event_alert').send(eventAlert).expect(202);
  return res.body.jobs;
}

async function jobOf(jobs: Array<{ id: string; channel: string }>, channel: string) {
  const queue = new Queue(`deliver.${channel}`, { connection: { url: gw.config.redis.url }, prefix: gw.config.redis.prefix });
  try {
    const job = await queue.getJob(jobs.find((j) => j.channel === channel)!.id);
    return { state: await job?.getState(), failedReason: job?.failedReason, attemptsMade: job?.attemptsMade };
  } finally {
    await queue.close();
  }
}

describe('webhook to Telegram, WeCom and DingTalk through the queue', () => {
  it('when Sentry posts an event alert, then each provider gets one message in its own format and the log says sent', async () => {
    gw = await startHarness({ channels: channels() });

    const jobs = await postSentry();
    expect(jobs.map((j) => j.channel).sort()).toEqual(['ops-dingtalk', 'ops-telegram', 'ops-wecom']);

    const [[toWecom], [toDingtalk]] = await Promise.all([wecom.waitForRequests(1), dingtalk.waitForRequests(1), tg.waitForRequests(1)]);
    const wecomBody = toWecom!.body as { msgtype: string; markdown: { content: string } };
    expect(wecomBody.msgtype).toBe('markdown');
    expect(wecomBody.markdown.content).toContain(TITLE);
    expect(wecomBody.markdown.content.endsWith('\n<@zhangsan>')).toBe(true);
    expect(toDingtalk!.body).toMatchObject({ msgtype: 'markdown', at: { atMobiles: ['13800001111'], atUserIds: [], isAtAll: false } });
    const { title, text } = (toDingtalk!.body as { markdown: { title: string; text: string } }).markdown;
    expect(title).toBe(`${KEYWORD} [ERROR] ${TITLE}`);
    expect(text.startsWith(`${KEYWORD}\n\n`)).toBe(true);
    expect(text).toContain(TITLE);
    expect(text.endsWith('@13800001111')).toBe(true);
    for (const channel of ['ops-telegram', 'ops-wecom', 'ops-dingtalk']) {
      await gw.waitForLog(new RegExp(`info {2}Sentry -> ${channel} sent ${JSON.stringify(TITLE)} attempt=1 `));
    }
  });

  it('when Alertmanager posts a resolved group, then each provider gets every alert, in Chinese, marked resolved', async () => {
    const zh = { locale: 'zh-CN' };
    gw = await startHarness({
      channels: {
        ...channels({ wecom: zh, dingtalk: zh }),
        'ops-telegram': { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), locale: 'zh-CN', rateLimit: { max: 50, per: '1s' } },
      },
    });
    const res = await request(gw.url).post('/webhook/alertmanager').send(resolvedGroup).expect(202);
    const alerts = resolvedGroup.alerts.length;
    expect(res.body.jobs).toHaveLength(alerts * 3);

    const [toTelegram, toWecom, toDingtalk] = await Promise.all([tg.waitForRequests(alerts, 20_000), wecom.waitForRequests(alerts, 20_000), dingtalk.waitForRequests(alerts, 20_000)]);
    for (const request of toTelegram) expect((request.body as { text: string }).text).toContain('✅');
    for (const request of toWecom) expect((request.body as { markdown: { content: string } }).markdown.content).toMatch(/已恢复[\s\S]*<font color="info">|<font color="info">[\s\S]*已恢复/);
    for (const request of toDingtalk) {
      const { title, text } = (request.body as { markdown: { title: string; text: string } }).markdown;
      expect(title).toContain('[已恢复]');
      expect(text).toContain(KEYWORD);
    }
  });

  it('when WeCom answers 45009, then the channel waits its throttlePause and delivers on the same attempt', async () => {
    gw = await startHarness({ channels: channels({ wecom: { throttlePause: '1s' } }) });
    wecom.script('freqLimit');

    await postSentry();

    const [first, second] = await wecom.waitForRequests(2, 10_000);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1000);
    await gw.waitForLog(/Sentry -> ops-wecom sent .* attempt=1 /);
    expect(gw.logs.some((line) => /warn {2}Sentry -> ops-wecom retrying .*reason=rateLimited retryIn=1s error="WeCom errcode 45009: api freq out of limit/.test(line))).toBe(true);
  });

  it('when DingTalk answers 130101, then the channel waits its throttlePause and delivers on the same attempt', async () => {
    gw = await startHarness({ channels: channels({ dingtalk: { throttlePause: '1s' } }) });
    dingtalk.script('throttled');

    await postSentry();

    const [first, second] = await dingtalk.waitForRequests(2, 10_000);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1000);
    // The retry was signed again: a fresh timestamp, and the fake verified its sign.
    expect(second!.query.timestamp).not.toBe(first!.query.timestamp);
    await gw.waitForLog(/Sentry -> ops-dingtalk sent .* attempt=1 /);
  });

  it.each([
    { when: 'the DingTalk secret is wrong', dingtalk: { secret: 'SECthisIsNotTheRobotsSecret0123456789' }, errmsg: 'sign not match' },
    { when: 'the DingTalk keyword is missing', dingtalk: { keyword: undefined }, errmsg: 'keywords not in content' },
  ])('when $when, then the job fails after one request, with the errmsg in the log and no secret', async ({ dingtalk: override, errmsg }) => {
    gw = await startHarness({ channels: channels({ dingtalk: override }) });

    const jobs = await postSentry();

    const line = await gw.waitForLog(/Sentry -> ops-dingtalk failed/);
    expect(line).toMatch(new RegExp(`^\\S+ error Sentry -> ops-dingtalk failed ".*" attempt=1 ms=\\d+ key=\\S+ reason=authError error="DingTalk errcode 310000: ${errmsg}"$`));
    expect(await jobOf(jobs, 'ops-dingtalk')).toMatchObject({ state: 'failed', failedReason: `DingTalk errcode 310000: ${errmsg}` });
    expect(dingtalk.requests).toHaveLength(1);
    const logs = gw.logs.join('\n');
    for (const secret of [FAKE_DINGTALK_TOKEN, FAKE_DINGTALK_SECRET, 'SECthisIsNotTheRobotsSecret', FAKE_WECOM_KEY, dingtalk.requests[0]!.query.sign!]) {
      expect(logs).not.toContain(secret);
    }
    await gw.waitForLog(/Sentry -> ops-wecom sent/); // one robot's failure leaves the others alone
  });
});
