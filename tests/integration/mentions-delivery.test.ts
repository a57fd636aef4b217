import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { FAKE_DINGTALK_SECRET, FAKE_DINGTALK_TOKEN, startFakeDingtalk, type FakeDingtalk } from '../fakes/fake-dingtalk';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { FAKE_WECOM_KEY, startFakeWecom, type FakeWecom } from '../fakes/fake-wecom';
import { FAKE_FEISHU_TOKEN, startFakeFeishu } from '../fakes/fake-feishu';
import { startFakeSlack } from '../fakes/fake-slack';
import { startHarness, type Harness } from '../support/gateway-harness';
import { messageText } from '../support/telegram-message';
import { sampleAlertmanagerPayload } from '../../src/ingest/operator/samples';

const KEYWORD = '告警';
const issueAssigned = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'sentry-issue-assigned.json'), 'utf8')) as object;

let tg: FakeTelegram;
let wecom: FakeWecom;
let dingtalk: FakeDingtalk;
let gw: Harness | undefined;

beforeEach(async () => {
  [tg, wecom, dingtalk] = await Promise.all([startFakeTelegram(), startFakeWecom(), startFakeDingtalk({ secret: FAKE_DINGTALK_SECRET, keywords: [KEYWORD] })]);
});
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  await Promise.all([tg.close(), wecom.close(), dingtalk.close()]);
});

const people = {
  'dba-oncall': { telegram: '@dba_oncall', wecom: 'zhangsan', dingtalk: '13800000000', sentry: 'dba@example.com' },
  lena: { telegram: '@lena_fischer', wecom: '13900001111', dingtalk: 'lena.f', sentry: 'lena.fischer@lumen-retail.example' },
};

function startGateway(mentions: unknown[]) {
  return startHarness({
    channels: {
      'ops-telegram': { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id) },
      'ops-wecom': { type: 'wecom', apiUrl: wecom.url, key: FAKE_WECOM_KEY },
      'ops-dingtalk': { type: 'dingtalk', apiUrl: dingtalk.url, accessToken: FAKE_DINGTALK_TOKEN, secret: FAKE_DINGTALK_SECRET, keyword: KEYWORD },
    },
    sentry: { notifyOn: { issue: ['created', 'resolved', 'unresolved', 'assigned'] } },
    people,
    mentions,
  });
}

describe('mentions through the queue to each provider', () => {
  it('when an alert matches a mention rule, then DingTalk gets the mobile in at.atMobiles and the text, WeCom <@userid> and Telegram @username', async () => {
    gw = await startGateway([{ match: { labels: { job: 'checkout-api' } }, people: ['dba-oncall'] }]);

    await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);

    const [[toTelegram], [toWecom], [toDingtalk]] = await Promise.all([tg.waitForRequests(1), wecom.waitForRequests(1), dingtalk.waitForRequests(1)]);
    expect(toDingtalk!.body).toMatchObject({ msgtype: 'markdown', at: { atMobiles: ['13800000000'], atUserIds: [], isAtAll: false } });
    expect((toDingtalk!.body as { markdown: { text: string } }).markdown.text).toMatch(/Checkout API 5xx rate[\s\S]*\n\n@13800000000$/);
    expect((toWecom!.body as { markdown: { content: string } }).markdown.content).toMatch(/Checkout API 5xx rate[\s\S]*\n<@zhangsan>$/);
    expect(messageText(toTelegram!.body)).toMatch(/Checkout API 5xx rate[\s\S]*\n\n@dba_oncall$/);
    for (const channel of ['ops-telegram', 'ops-wecom', 'ops-dingtalk']) await gw.waitForLog(new RegExp(`info {2}Alertmanager -> ${channel} sent `));
  });

  it('when a Sentry issue is assigned to a person, then that person is mentioned with no rule, and WeCom markdown warns it cannot reach a mobile', async () => {
    gw = await startGateway([{ match: { labels: { job: 'checkout-api' } }, people: ['dba-oncall'] }]);

    await request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'issue').send(issueAssigned).expect(202);

    const [[toTelegram], [toWecom], [toDingtalk]] = await Promise.all([tg.waitForRequests(1), wecom.waitForRequests(1), dingtalk.waitForRequests(1)]);
    expect(messageText(toTelegram!.body)).toMatch(/Lena Fischer[\s\S]*\n\n@lena_fischer$/);
    expect(toDingtalk!.body).toMatchObject({ at: { atMobiles: [], atUserIds: ['lena.f'] } });
    expect((toDingtalk!.body as { markdown: { text: string } }).markdown.text.endsWith('\n\n@lena.f')).toBe(true);
    // Lena is known to WeCom by mobile only, which markdown cannot mention: delivered, and the operator is told.
    expect((toWecom!.body as { markdown: { content: string } }).markdown.content).not.toContain('<@');
    await gw.waitForLog(/warn {2}Sentry -> ops-wecom sent with a warning: WeCom markdown cannot mention mobile 13900001111: give those people a wecom userid, or set msgType: text/);
  });

  it('when a dry run is asked for, then each previewed request carries the mentions and nothing is sent', async () => {
    gw = await startGateway([{ match: { source: 'sentry' }, people: ['dba-oncall'], all: true }]);

    const res = await request(gw.url).post('/test?dryRun=1').send({ source: 'sentry' }).expect(200);

    const requests = Object.fromEntries((res.body.previews as Array<{ channel: string; request: { body: Record<string, unknown> } }>).map((p) => [p.channel, p.request.body]));
    expect(requests['ops-dingtalk']).toMatchObject({ at: { atMobiles: ['13800000000'], isAtAll: true }, markdown: { text: expect.stringMatching(/\n\n@13800000000$/) } });
    expect(requests['ops-wecom']).toMatchObject({ markdown: { content: expect.stringMatching(/\n<@zhangsan>$/) } });
    expect(requests['ops-telegram']).toMatchObject({ text: expect.stringMatching(/\n\n@dba_oncall$/) });
    const previews = res.body.previews as Array<{ message: { mentions?: unknown } }>;
    expect(previews[0]!.message.mentions).toEqual({ people: [{ name: 'dba-oncall', telegram: '@dba_oncall', wecom: 'zhangsan', dingtalk: '13800000000' }], all: true });
    expect([tg.requests, wecom.requests, dingtalk.requests].map((r) => r.length)).toEqual([0, 0, 0]);
  });

  it('when Slack and Feishu channels get a mentioned alert, then Slack shows <@U…> under the headline and the Feishu card a lark_md <at id> line', async () => {
    const [slack, feishu] = await Promise.all([startFakeSlack(), startFakeFeishu()]);
    try {
      gw = await startHarness({
        channels: { 'ops-slack': { type: 'slack', webhookUrl: slack.webhookUrl }, 'ops-feishu': { type: 'feishu', apiUrl: feishu.url, token: FAKE_FEISHU_TOKEN } },
        people: { 'dba-oncall': { slack: 'U024BE7LH', feishu: 'ou_7d8a6e6df7621556ce0d21922b676706' } },
        mentions: [{ match: { source: 'alertmanager' }, people: ['dba-oncall'], all: true }],
      });

      await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);

      const [[toSlack], [toFeishu]] = await Promise.all([slack.waitForRequests(1), feishu.waitForRequests(1)]);
      const headline = (toSlack!.body as { blocks: Array<{ text: { text: string } }> }).blocks[0]!.text.text;
      expect(headline).toMatch(/Checkout API 5xx rate[\s\S]*\n<@U024BE7LH> <!channel>$/);
      const { elements } = (toFeishu!.body as { card: { elements: unknown[] } }).card;
      expect(elements).toContainEqual({ tag: 'div', text: { tag: 'lark_md', content: '<at id=ou_7d8a6e6df7621556ce0d21922b676706></at> <at id=all></at>' } });
      for (const channel of ['ops-slack', 'ops-feishu']) await gw.waitForLog(new RegExp(`info {2}Alertmanager -> ${channel} sent `));
    } finally {
      await gw?.stop();
      gw = undefined;
      await Promise.all([slack.close(), feishu.close()]);
    }
  });
});
