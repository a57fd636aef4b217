import { createHmac } from 'node:crypto';
import type { RenderedMessage } from '../../src/channels/channel';
import { PermanentDeliveryError } from '../../src/channels/delivery-errors';
import { feishuConfigSchema, type FeishuChannelConfig } from '../../src/channels/feishu/config';
import { createFeishuChannel } from '../../src/channels/feishu/notifier';
import { FEISHU_MAX_BODY_BYTES } from '../../src/channels/feishu/request-body';
import { feishuSign } from '../../src/channels/feishu/sign';
import { utf8Bytes } from '../../src/channels/fit-bytes';
import { FAKE_FEISHU_SECRET, FAKE_FEISHU_TOKEN, startFakeFeishu, validSignature, type FakeFeishu } from '../fakes/fake-feishu';
import { failure } from '../support/channel-test-kit';
import { channelSecrets } from '../../src/channels/registry';
import { configSchema } from '../../src/config/schema';
import { rateLimitFor } from '../../src/queue/rate-limits';

const firing: RenderedMessage = { title: '[CRITICAL] disk full', text: 'db-1: 93% <at user_id="all">所有人</at>', status: 'firing', severity: 'critical', url: 'https://prometheus.example.com/graph?g0.expr=up' };
// Published test vector (docs/providers.md §6.3), also what `openssl dgst -sha256 -hmac $'1700000000\nmysecret'` over empty input gives.
const VECTOR = { secret: 'mysecret', seconds: 1_700_000_000, sign: 'Jp33/xXhCipDEpjyHvEyc7mRSyXWHbNz6J8+C3qQKNo=' };

let fake: FakeFeishu;
const running: FakeFeishu[] = [];
async function start(options: Parameters<typeof startFakeFeishu>[0] = {}): Promise<void> {
  fake = await startFakeFeishu(options);
  running.push(fake);
}
afterEach(() => Promise.all(running.splice(0).map((f) => f.close())));

function config(overrides: Partial<FeishuChannelConfig> = {}): FeishuChannelConfig {
  return { type: 'feishu', token: FAKE_FEISHU_TOKEN, apiUrl: fake.url, msgType: 'interactive', throttlePause: 60_000, ...overrides };
}

function channel(overrides: Partial<FeishuChannelConfig> = {}, now?: () => number) {
  return createFeishuChannel('ops-feishu', config(overrides), { now });
}

function sendWith(overrides: Partial<FeishuChannelConfig>, message: RenderedMessage = firing, now?: () => number) {
  return channel(overrides, now).send(message, AbortSignal.timeout(5000));
}

interface CardBody {
  msg_type: string;
  card: { header: { template: string; title: { tag: string; content: string } }; elements: Array<{ tag: string; text?: { tag: string; content: string }; actions?: Array<{ url: string; text: { content: string } }> }> };
}

describe('Feishu request body', () => {
  beforeEach(async () => {
    await start();
  });

  test('when a critical alert fires, then the bot gets an interactive card with a red header, the text as plain_text and a link button', async () => {
    await expect(sendWith({})).resolves.toEqual({});

    const [request] = await fake.waitForRequests(1, 2000);
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request?.body).toEqual({
      msg_type: 'interactive',
      card: {
        config: { wide_screen_mode: true },
        header: { template: 'red', title: { tag: 'plain_text', content: firing.title } },
        elements: [
          // plain_text: the "<at …>" in the payload is shown, not turned into an @all.
          { tag: 'div', text: { tag: 'plain_text', content: firing.text } },
          { tag: 'action', actions: [{ tag: 'button', type: 'default', text: { tag: 'plain_text', content: '🔗 prometheus.example.com' }, url: firing.url }] },
        ],
      },
    });
  });

  test.each([
    { when: 'resolved', message: { status: 'resolved', severity: 'critical' }, colour: 'green' },
    { when: 'an error fires', message: { status: 'firing', severity: 'error' }, colour: 'red' },
    { when: 'a warning fires', message: { status: 'firing', severity: 'warning' }, colour: 'orange' },
    { when: 'an info fires', message: { status: 'firing', severity: 'info' }, colour: 'blue' },
  ] as const)('when $when, then the card header is $colour', async ({ message, colour }) => {
    await sendWith({}, { title: 't', text: 'x', ...message });
    expect((fake.requests[0]?.body as CardBody).card.header.template).toBe(colour);
  });

  test('when there is no link, then the card has no button', async () => {
    await sendWith({}, { ...firing, url: undefined });
    expect((fake.requests[0]?.body as CardBody).card.elements.map((e) => e.tag)).toEqual(['div']);
  });

  test('when msgType is text, then a text message carries title and text', async () => {
    await sendWith({ msgType: 'text' });
    expect(fake.requests[0]?.body).toEqual({ msg_type: 'text', content: { text: `${firing.title}\n${firing.text}` } });
  });

  test('when the text is 60000 bytes of Chinese, then the body is cut under 20 KB and Feishu accepts it', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => `第${i}行："数据库连接失败" 🔥`).join('\n');
    await expect(sendWith({}, { ...firing, text })).resolves.toEqual({});
    const request = fake.requests[0]!;
    expect(utf8Bytes(request.raw)).toBeLessThanOrEqual(FEISHU_MAX_BODY_BYTES);
    expect((request.body as CardBody).card.elements[0]?.text?.content.endsWith('…')).toBe(true);
  });
});

describe('Feishu keyword', () => {
  beforeEach(async () => {
    await start({ keywords: ['告警'] });
  });

  test('when the message lacks the keyword, then it is put first in the header and the text, and the bot accepts it', async () => {
    await expect(sendWith({ keyword: '告警' })).resolves.toEqual({});
    const { card } = fake.requests[0]?.body as CardBody;
    expect(card.header.title.content).toBe(`告警 ${firing.title}`);
    expect(card.elements[0]?.text?.content).toBe(`告警\n${firing.text}`);
  });

  test('when the only keyword is at the end of a text that gets cut, then it is put first', async () => {
    const text = `${'x'.repeat(30_000)}\n告警`;
    await expect(sendWith({ keyword: '告警' }, { ...firing, title: 'plain', text })).resolves.toEqual({});
    expect((fake.requests[0]?.body as CardBody).card.elements[0]?.text?.content.startsWith('告警\nxxx')).toBe(true);
  });

  test('when a text message lacks the keyword, then it comes first, once', async () => {
    await expect(sendWith({ keyword: '告警', msgType: 'text' }, { ...firing, title: 'plain', text: 'db-1: 93%' })).resolves.toEqual({});
    expect(fake.requests[0]?.body).toEqual({ msg_type: 'text', content: { text: '告警 plain\ndb-1: 93%' } });
  });

  test('when a text message title holds an <at> tag, then it cannot mention anyone', async () => {
    await expect(sendWith({ msgType: 'text', keyword: '告警' }, { ...firing, title: '<at user_id="all">所有人</at> disk full' })).resolves.toEqual({});
    expect((fake.requests[0]?.body as { content: { text: string } }).content.text).toMatch(/^告警 <\u200Bat user_id="all">/);
  });

  test('when no keyword is configured for a keyword bot, then Feishu refuses it with 19024, permanently', async () => {
    const error = await failure(sendWith({}));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'authError', message: 'Feishu code 19024: Key Words Not Found' });
  });
});

describe('Feishu signature', () => {
  beforeEach(async () => {
    await start({ secret: FAKE_FEISHU_SECRET });
  });

  test('when timestamp 1700000000 and secret mysecret, then the sign is the published vector', () => {
    expect(feishuSign(VECTOR.secret, VECTOR.seconds)).toBe(VECTOR.sign);
  });

  test('when the clock says 1700000000123 ms, then the body carries timestamp "1700000000" (seconds) and its sign', async () => {
    await failure(sendWith({ secret: VECTOR.secret }, firing, () => VECTOR.seconds * 1000 + 123));
    expect(fake.requests[0]?.body).toMatchObject({ timestamp: '1700000000', sign: VECTOR.sign, msg_type: 'interactive' });
  });

  test('when the secret is right, then the fake verifies the sign and accepts the message', async () => {
    await expect(sendWith({ secret: FAKE_FEISHU_SECRET })).resolves.toEqual({});
    const body = fake.requests[0]?.body as Record<string, unknown>;
    // Feishu's own check written out independently of src/: key = timestamp + "\n" + secret, empty message.
    expect(body.sign).toBe(createHmac('sha256', `${String(body.timestamp)}\n${FAKE_FEISHU_SECRET}`).digest('base64'));
  });

  test('when a send is retried, then the retry is signed again with a fresh timestamp', async () => {
    const times = [Date.now() - 5000, Date.now()];
    const bot = channel({ secret: FAKE_FEISHU_SECRET }, () => times.shift() ?? Date.now());
    fake.script('badGatewayHtml');

    await expect(bot.send(firing, AbortSignal.timeout(5000))).rejects.toThrow(/502/);
    await expect(bot.send(firing, AbortSignal.timeout(5000))).resolves.toEqual({});

    const [first, second] = fake.requests.map((r) => r.body as Record<string, unknown>);
    expect(first?.timestamp).not.toBe(second?.timestamp);
    expect(validSignature(first!, FAKE_FEISHU_SECRET)).toBe(true);
    expect(validSignature(second!, FAKE_FEISHU_SECRET)).toBe(true);
  });

  test.each([
    { when: 'signed as DingTalk does (key = secret)', sign: (ts: number) => createHmac('sha256', FAKE_FEISHU_SECRET).update(`${ts}\n${FAKE_FEISHU_SECRET}`).digest('base64'), ts: () => Math.floor(Date.now() / 1000) },
    { when: 'the timestamp is in milliseconds', sign: (ts: number) => feishuSign(FAKE_FEISHU_SECRET, ts), ts: () => Date.now() },
    { when: 'the timestamp is two hours old', sign: (ts: number) => feishuSign(FAKE_FEISHU_SECRET, ts), ts: () => Math.floor(Date.now() / 1000) - 7200 },
  ])('when a request is $when, then the fake refuses it with 19021 as Feishu does', async ({ sign, ts }) => {
    const timestamp = ts();
    const res = await fetch(`${fake.url}/open-apis/bot/v2/hook/${FAKE_FEISHU_TOKEN}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ timestamp: String(timestamp), sign: sign(timestamp), msg_type: 'text', content: { text: 'x' } }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 19021, data: {}, msg: 'sign match fail or timestamp is not within one hour from current time' });
  });

  test('when the clock is more than an hour off, then the channel fails with 19021', async () => {
    const error = await failure(sendWith({ secret: FAKE_FEISHU_SECRET }, firing, () => Date.now() - 2 * 3600_000));
    expect(error.message).toBe('Feishu code 19021: sign match fail or timestamp is not within one hour from current time');
  });

  test('when previewed, then the body is what send posts with the sign masked, and the URL hides the token', async () => {
    const bot = channel({ secret: FAKE_FEISHU_SECRET, keyword: '告警' }, () => VECTOR.seconds * 1000);
    const preview = bot.preview(firing);
    await failure(bot.send(firing, AbortSignal.timeout(5000)));
    const sent = fake.requests[0]?.body as Record<string, unknown>;

    expect(preview).toEqual({ method: 'POST', url: `${fake.url}/open-apis/bot/v2/hook/[redacted]`, body: { ...sent, sign: '[redacted]' } });
    expect(JSON.stringify(preview)).not.toContain(FAKE_FEISHU_TOKEN);
    expect(JSON.stringify(preview)).not.toContain(FAKE_FEISHU_SECRET);
    expect(JSON.stringify(preview)).not.toContain(String(sent.sign));
  });

  test('when webhookUrl is given, then it is posted to as is and its token is a secret', async () => {
    const webhookUrl = `${fake.url}/open-apis/bot/v2/hook/${FAKE_FEISHU_TOKEN}`;
    const bot = channel({ token: undefined, webhookUrl, secret: FAKE_FEISHU_SECRET });
    await expect(bot.send(firing, AbortSignal.timeout(5000))).resolves.toEqual({});
    expect(bot.preview(firing).url).toBe(`${fake.url}/open-apis/bot/v2/hook/[redacted]`);
  });
});

describe('Feishu config', () => {
  test('when only a token is given, then the Feishu host, interactive cards and a 60 s throttle pause are the defaults', () => {
    expect(feishuConfigSchema.parse({ type: 'feishu', token: FAKE_FEISHU_TOKEN })).toMatchObject({ apiUrl: 'https://open.feishu.cn', msgType: 'interactive', throttlePause: 60_000 });
  });

  test.each([
    { when: 'neither token nor webhookUrl', raw: {}, issue: 'set either token or webhookUrl' },
    { when: 'both token and webhookUrl', raw: { token: 'abcd', webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/abcd' }, issue: 'set either token or webhookUrl' },
    { when: 'a webhookUrl without /hook/<token>', raw: { webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/' }, issue: "a custom bot's webhook URL ends with /open-apis/bot/v2/hook/<token>" },
    { when: 'a webhookUrl without a scheme', raw: { webhookUrl: 'open.feishu.cn/open-apis/bot/v2/hook/abcd' }, issue: 'Invalid URL' },
  ])('when $when, then the config is refused with a clear issue', ({ raw, issue }) => {
    const result = feishuConfigSchema.safeParse({ type: 'feishu', ...raw });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain(issue);
  });

  test('when secrets are collected for the logger, then the token inside webhookUrl and the signing secret are included', () => {
    const parsed = configSchema.parse({ channels: { lark: { type: 'feishu', webhookUrl: `https://open.larksuite.com/open-apis/bot/v2/hook/${FAKE_FEISHU_TOKEN}`, secret: FAKE_FEISHU_SECRET } } });
    expect(channelSecrets(parsed.channels)).toEqual([FAKE_FEISHU_TOKEN, FAKE_FEISHU_SECRET]);
  });

  test('when no rateLimit is configured, then a bot is paced evenly below 100 a minute and 5 a second', () => {
    const parsed = configSchema.parse({ channels: { ops: { type: 'feishu', token: FAKE_FEISHU_TOKEN } } });
    const limit = rateLimitFor(parsed.channels.ops!)!;
    expect(limit.max).toBe(1);
    expect(60_000 / limit.durationMs).toBeLessThan(100);
    expect(limit.durationMs).toBeGreaterThan(200);
  });
});
