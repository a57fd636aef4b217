import request from 'supertest';
import { FAKE_DINGTALK_SECRET, FAKE_DINGTALK_TOKEN, startFakeDingtalk, type FakeDingtalk } from '../fakes/fake-dingtalk';
import { FAKE_WECOM_KEY, startFakeWecom, type FakeWecom } from '../fakes/fake-wecom';
import { startHarness, type Harness } from '../support/gateway-harness';

interface Preview {
  channel: string;
  message: { text: string };
  request: { method: string; url: string; body: Record<string, unknown> };
}

const WEBHOOK_KEY = '0f1e2d3c-4b5a-4697-8a7b-6c5d4e3f2a1b';

describe('POST /test?dryRun=1 with WeCom and DingTalk channels', () => {
  let wecom: FakeWecom;
  let dingtalk: FakeDingtalk;
  let gw: Harness;

  beforeEach(async () => {
    [wecom, dingtalk] = await Promise.all([startFakeWecom(), startFakeDingtalk({ secret: FAKE_DINGTALK_SECRET })]);
    gw = await startHarness({
      channels: {
        'ops-wecom': { type: 'wecom', apiUrl: wecom.url, key: FAKE_WECOM_KEY, msgType: 'text', mentionMobiles: ['13800001111'] },
        'ops-wecom-url': { type: 'wecom', webhookUrl: `${wecom.url}/cgi-bin/webhook/send?key=${WEBHOOK_KEY}` },
        'ops-dingtalk': { type: 'dingtalk', apiUrl: dingtalk.url, accessToken: FAKE_DINGTALK_TOKEN, secret: FAKE_DINGTALK_SECRET, keyword: '告警' },
      },
    });
  });
  afterEach(async () => {
    await gw.stop();
    await Promise.all([wecom.close(), dingtalk.close()]);
  });

  it('when a dry run is asked for, then each channel shows the exact request body with every secret masked, and nothing is sent', async () => {
    const res = await request(gw.url).post('/test?dryRun=1').send({ source: 'alertmanager' }).expect(200);

    const previews = res.body.previews as Preview[];
    const byChannel = Object.fromEntries(previews.map((p) => [p.channel, p]));
    const wecomText = byChannel['ops-wecom']!;
    expect(wecomText.request).toEqual({
      method: 'POST',
      url: `${wecom.url}/cgi-bin/webhook/send?key=[redacted]`,
      body: { msgtype: 'text', text: { content: wecomText.message.text, mentioned_mobile_list: ['13800001111'] } },
    });
    expect(wecomText.request.body.text).toMatchObject({ content: expect.stringContaining('Checkout API 5xx rate is 7.2%') });
    expect(byChannel['ops-wecom-url']!.request).toMatchObject({ url: `${wecom.url}/cgi-bin/webhook/send?key=[redacted]`, body: { msgtype: 'markdown' } });
    const dt = byChannel['ops-dingtalk']!.request;
    expect(dt.url).toMatch(new RegExp(`^${dingtalk.url}/robot/send\\?access_token=\\[redacted\\]&timestamp=\\d{13}&sign=\\[redacted\\]$`));
    expect(dt.body).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.stringMatching(/^告警 /), text: expect.stringContaining('Checkout API 5xx rate is 7.2%') } });

    const json = JSON.stringify(res.body);
    for (const secret of [FAKE_WECOM_KEY, WEBHOOK_KEY, FAKE_DINGTALK_TOKEN, FAKE_DINGTALK_SECRET]) expect(json).not.toContain(secret);
    expect(json).not.toMatch(/sign=(?!\[redacted\])/);
    expect(wecom.requests).toHaveLength(0);
    expect(dingtalk.requests).toHaveLength(0);
  });
});
