import { inspect } from 'node:util';
import type { SendReceipt } from '../../src/channels/channel';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../../src/channels/delivery-errors';
import { utf8Bytes } from '../../src/channels/fit-bytes';
import { createWecomChannel } from '../../src/channels/wecom/notifier';
import type { WecomChannelConfig } from '../../src/channels/wecom/config';
import { FAKE_WECOM_KEY, startFakeWecom, type FakeWecom, type FakeWecomAnswer } from '../fakes/fake-wecom';
import { expectNoSecrets, expectProviderFailure, failure, type ProviderCase } from '../support/channel-test-kit';

const message = { title: '[CRITICAL] disk full', text: '## 磁盘告警\n> db-1: <font color="warning">93%</font>' };

let fake: FakeWecom;
beforeEach(async () => {
  fake = await startFakeWecom();
});
afterEach(() => fake.close());

function config(overrides: Partial<WecomChannelConfig> = {}): WecomChannelConfig {
  return { type: 'wecom', key: FAKE_WECOM_KEY, apiUrl: fake.url, msgType: 'markdown', mentionMobiles: [], mentionUserIds: [], throttlePause: 60_000, ...overrides };
}

function send(overrides: Partial<WecomChannelConfig> = {}, text = message.text, timeoutMs = 5000): Promise<SendReceipt> {
  return createWecomChannel('ops-wecom', config(overrides)).send({ ...message, text }, AbortSignal.timeout(timeoutMs));
}

const HINT = String.raw`, hint: \[\d+_fake\], from ip: 127\.0\.0\.1, more info at https://open\.work\.weixin\.qq\.com/devtool/query\?e=`;

// The shared table of provider answers (tests/support/channel-test-kit.ts): WeCom says everything with HTTP 200 + errcode.
const cases: ProviderCase<FakeWecomAnswer>[] = [
  { when: 'errcode 93000 invalid webhook url', answer: 'invalidKey', then: { error: PermanentDeliveryError, reason: 'authError', message: new RegExp(`^WeCom errcode 93000: invalid webhook url${HINT}93000$`) } },
  { when: 'errcode 40008 invalid message type', answer: { errcode: 40008, errmsg: 'invalid message type' }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^WeCom errcode 40008: invalid message type$/ } },
  { when: 'errcode 40058 too long', answer: { errcode: 40058, errmsg: 'markdown.content exceed max length 4096. invalid Request Parameter' }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^WeCom errcode 40058: markdown\.content exceed/ } },
  { when: 'an errcode nobody documented', answer: { errcode: 12345, errmsg: '' }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^WeCom errcode 12345: no errmsg$/ } },
  { when: 'errcode 45009 api freq out of limit', answer: 'freqLimit', then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 60_000, message: new RegExp(`^WeCom errcode 45009: api freq out of limit${HINT}45009$`) } },
  { when: 'errcode -1 system busy', answer: 'systemBusy', then: { error: RetryableDeliveryError, reason: 'serverError', message: /^WeCom errcode -1: system busy, hint/ } },
  { when: "nginx's HTML 502", answer: 'badGatewayHtml', then: { error: RetryableDeliveryError, reason: 'serverError', message: /^WeCom HTTP 502: 502 Bad Gateway/ } },
  { when: "a proxy's 429 with Retry-After", answer: { status: 429, body: 'slow down', headers: { 'Retry-After': '3' } }, then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 3000, message: /^WeCom HTTP 429: slow down$/ } },
  { when: 'a 404 (apiUrl points elsewhere)', answer: { status: 404, body: '<h1>Not Found</h1>' }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^WeCom HTTP 404: Not Found$/ } },
  { when: 'HTTP 200 that is not JSON', answer: { status: 200, body: '<html>captive portal</html>' }, then: { error: RetryableDeliveryError, reason: 'serverError', message: /^WeCom HTTP 200: not a robot answer: captive portal$/ } },
  {
    when: 'an HTML error page that echoes the URL with the key',
    answer: { status: 503, body: `<html>upstream timed out for POST /cgi-bin/webhook/send?key=${FAKE_WECOM_KEY}</html>` },
    then: { error: RetryableDeliveryError, reason: 'serverError', message: /^WeCom HTTP 503: upstream timed out for POST \/cgi-bin\/webhook\/send\?key=\[redacted\]$/ },
  },
  { when: 'the connection is refused', answer: 'connectionRefused', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNREFUSED/ } },
  { when: 'the server closes the socket', answer: 'closeSocket', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNRESET: socket hang up$/ } },
  { when: 'the server never answers', answer: 'hang', timeoutMs: 200, then: { error: RetryableDeliveryError, reason: 'timeout', message: /^request timed out: no answer before the delivery timeout$/ } },
];

describe('WeCom channel against the fake robot', () => {
  test('when WeCom answers errcode 0, then send resolves', async () => {
    await expect(send()).resolves.toEqual({});
    expect(fake.requests).toHaveLength(1);
  });

  test.each(cases)('when the robot answers $when, then send throws the matching delivery error', async (row) => {
    const error = await expectProviderFailure(fake, row, (apiUrl, timeoutMs) => send({ apiUrl }, message.text, timeoutMs));

    expectNoSecrets(error, [FAKE_WECOM_KEY]);
  });

  test('when throttlePause is configured, then 45009 pauses the channel for that long', async () => {
    fake.script('freqLimit');
    const error = await failure(send({ throttlePause: 5000 }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(5000);
  });

  test('when the key is wrong, then the real check answers 93000 and the error hides the key', async () => {
    const wrongKey = '00000000-1111-2222-3333-444444444444';
    const error = await failure(send({ key: wrongKey }));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toMatch(/^WeCom errcode 93000: invalid webhook url/);
    expect(inspect(error)).not.toContain(wrongKey);
  });

  test('when the rendered text is empty, then the real check answers 44004 and the job fails', async () => {
    const error = await failure(send({}, ''));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toMatch(/^WeCom errcode 44004: empty content/);
  });

  test('when 21 messages go out within a minute, then the fake answers the 21st with 45009 and counts it', async () => {
    for (let i = 0; i < 20; i++) await send();
    const error = await failure(send());
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(fake.rateLimited).toBe(1);
  });
});

describe('WeCom channel request', () => {
  test('when markdown mentions user ids, then they are appended as <@userid> and the exact body is posted', async () => {
    await send({ mentionUserIds: ['zhangsan', 'lisi'], mentionMobiles: ['13800001111'] });

    const [request] = await fake.waitForRequests(1, 2000);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/cgi-bin/webhook/send');
    expect(request?.query).toEqual({ key: FAKE_WECOM_KEY });
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    // Mobiles cannot be mentioned in markdown: they are left out rather than sent where they do nothing.
    expect(request?.raw).toBe(JSON.stringify({ msgtype: 'markdown', markdown: { content: `${message.text}\n<@zhangsan> <@lisi>` } }));
  });

  test('when msgType is text, then mentions go into mentioned_list and mentioned_mobile_list', async () => {
    await send({ msgType: 'text', mentionUserIds: ['zhangsan', '@all'], mentionMobiles: ['13800001111'] });

    expect(fake.requests[0]?.body).toEqual({
      msgtype: 'text',
      text: { content: message.text, mentioned_list: ['zhangsan', '@all'], mentioned_mobile_list: ['13800001111'] },
    });
  });

  test('when msgType is text without mentions, then the body holds the content only', async () => {
    await send({ msgType: 'text' });
    expect(fake.requests[0]?.body).toEqual({ msgtype: 'text', text: { content: message.text } });
  });

  test('when the whole webhookUrl is configured, then it is used as it is', async () => {
    await send({ key: undefined, webhookUrl: `${fake.url}/cgi-bin/webhook/send?key=${FAKE_WECOM_KEY}`, apiUrl: 'https://unused.example' });
    expect(fake.requests[0]?.query).toEqual({ key: FAKE_WECOM_KEY });
  });

  test.each([
    { msgType: 'markdown' as const, limit: 4096 },
    { msgType: 'text' as const, limit: 2048 },
  ])('when a $msgType message in Chinese and emoji is over $limit bytes, then it is cut to fit and WeCom accepts it', async ({ msgType, limit }) => {
    const long = Array.from({ length: 200 }, (_, i) => `第${i}行 数据库连接失败 🔥`).join('\n');

    await expect(send({ msgType, mentionUserIds: ['zhangsan'] }, long)).resolves.toEqual({});

    const body = fake.requests[0]?.body as Record<string, { content: string }>;
    const content = body[msgType]!.content;
    expect(utf8Bytes(content)).toBeLessThanOrEqual(limit);
    expect(utf8Bytes(content)).toBeGreaterThan(limit - 100);
    if (msgType === 'markdown') expect(content.endsWith('…\n<@zhangsan>')).toBe(true);
  });
});

describe('WeCom channel preview', () => {
  test('when previewed, then the body is what send posts and the URL hides the key', async () => {
    const channel = createWecomChannel('ops-wecom', config({ mentionUserIds: ['zhangsan'] }));

    const preview = channel.preview(message);
    await channel.send(message, new AbortController().signal);

    expect(preview).toEqual({ method: 'POST', url: `${fake.url}/cgi-bin/webhook/send?key=[redacted]`, body: fake.requests[0]?.body });
    expect(JSON.stringify(preview)).not.toContain(FAKE_WECOM_KEY);
  });
});
