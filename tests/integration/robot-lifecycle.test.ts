import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { FAKE_DINGTALK_SECRET, FAKE_DINGTALK_TOKEN, startFakeDingtalk, type FakeDingtalk } from '../fakes/fake-dingtalk';
import { FAKE_WECOM_KEY, startFakeWecom, type FakeWecom } from '../fakes/fake-wecom';
import { startHarness, type Harness } from '../support/gateway-harness';
import { oneAlert } from '../support/one-alert';
import { waitFor } from '../support/wait-for';

const KEYWORD = '告警';
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as object;

let wecom: FakeWecom;
let dingtalk: FakeDingtalk;
let gw: Harness | undefined;

beforeEach(async () => {
  [wecom, dingtalk] = await Promise.all([startFakeWecom(), startFakeDingtalk({ secret: FAKE_DINGTALK_SECRET, keywords: [KEYWORD] })]);
});
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  await Promise.all([wecom.close(), dingtalk.close()]);
});

const start = (extra: Record<string, unknown> = {}) =>
  startHarness({
    dedup: { window: '5m' },
    ...extra,
    channels: {
      'ops-wecom': { type: 'wecom', apiUrl: wecom.url, key: FAKE_WECOM_KEY, mentionUserIds: ['zhangsan'] },
      'ops-dingtalk': { type: 'dingtalk', apiUrl: dingtalk.url, accessToken: FAKE_DINGTALK_TOKEN, secret: FAKE_DINGTALK_SECRET, keyword: KEYWORD, mentionMobiles: ['13800001111'] },
    },
  }, 'robot-life');

const wecomText = (body: unknown) => (body as { markdown: { content: string } }).markdown.content;
const dingtalkBody = (body: unknown) => body as { markdown: { title: string; text: string }; at: { atMobiles: string[] } };

describe('robots that cannot edit', () => {
  it('when an alert fires and resolves, then the resolved message is a follow-up naming the original: title, when it fired, how long it lasted', async () => {
    gw = await start();
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('firing')).expect(202);
    await Promise.all([wecom.waitForRequests(1), dingtalk.waitForRequests(1)]);
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('resolved')).expect(202);
    const [[, toWecom], [, toDingtalk]] = await Promise.all([wecom.waitForRequests(2), dingtalk.waitForRequests(2)]);

    const wecomFollowUp = wecomText(toWecom!.body);
    expect(wecomFollowUp).toMatch(/^### ✅ <font color="info">RESOLVED<\/font> · orders-api p99 latency above 2s\n/);
    expect(wecomFollowUp).toContain('> fired 2025-11-18 09:58:47 UTC · lasted 42 min');
    // Mentions still go where the channel puts them.
    expect(wecomFollowUp.endsWith('\n<@zhangsan>')).toBe(true);

    const { markdown, at } = dingtalkBody(toDingtalk!.body);
    expect(markdown.title).toBe(`${KEYWORD} [RESOLVED] orders-api p99 latency above 2s`);
    expect(markdown.text).toContain('### ✅ RESOLVED · orders-api p99 latency above 2s');
    expect(markdown.text).toContain('> fired 2025-11-18 09:58:47 UTC · lasted 42 min');
    expect(at.atMobiles).toEqual(['13800001111']);
    expect(markdown.text.endsWith('@13800001111')).toBe(true);
  });

  it('when a Sentry issue is archived after firing, then each robot gets one follow-up "archived in Sentry"; an assignment posts nothing', async () => {
    gw = await start({ locale: 'zh-CN' });
    const post = (body: object) => request(gw!.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'issue').send(body).expect(202);
    await post(fixture('sentry-issue-created.json'));
    await Promise.all([wecom.waitForRequests(1), dingtalk.waitForRequests(1)]);
    await post(fixture('sentry-issue-assigned.json'));
    await waitFor(() => gw!.logs.filter((line) => / suppressed .*assigned: no message to edit/.test(line)).length === 2 || undefined, 'both robots passing on the assignment');
    await post(fixture('sentry-issue-archived.json'));
    const [[, toWecom], [, toDingtalk]] = await Promise.all([wecom.waitForRequests(2), dingtalk.waitForRequests(2)]);
    expect(wecomText(toWecom!.body)).toMatch(/^### 🗄 已在 Sentry 中归档 · KeyError: 'sku'/);
    expect(dingtalkBody(toDingtalk!.body).markdown.text).toContain("### 🗄 已在 Sentry 中归档 · KeyError: 'sku'");
    expect(wecom.requests).toHaveLength(2);
    expect(dingtalk.requests).toHaveLength(2);
  });

  it('when a resolved alert arrives whose firing the gateway never saw, then it is the full resolved message as before', async () => {
    gw = await start();
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('resolved')).expect(202);
    const [toWecom] = await wecom.waitForRequests(1);
    expect(wecomText(toWecom!.body)).toMatch(/RESOLVED[\s\S]*HighRequestLatency/);
    expect(wecomText(toWecom!.body)).not.toContain('lasted');
  });
});
