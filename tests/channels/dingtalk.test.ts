import { inspect } from 'node:util';
import type { SendReceipt } from '../../src/channels/channel';
import { createDingtalkChannel } from '../../src/channels/dingtalk/notifier';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../../src/channels/delivery-errors';
import type { DingtalkChannelConfig } from '../../src/channels/dingtalk/config';
import { FAKE_DINGTALK_SECRET, FAKE_DINGTALK_TOKEN, startFakeDingtalk, type FakeDingtalk, type FakeDingtalkAnswer } from '../fakes/fake-dingtalk';
import { expectNoSecrets, expectProviderFailure, failure, type ProviderCase } from '../support/channel-test-kit';

const message = { title: '[CRITICAL] disk full', text: '### 磁盘告警\n> db-1: **93%**' };

let fake: FakeDingtalk;
beforeEach(async () => {
  fake = await startFakeDingtalk();
});
afterEach(() => fake.close());

function config(overrides: Partial<DingtalkChannelConfig> = {}): DingtalkChannelConfig {
  return {
    type: 'dingtalk', accessToken: FAKE_DINGTALK_TOKEN, apiUrl: fake.url, msgType: 'markdown',
    mentionMobiles: [], mentionUserIds: [], mentionAll: false, throttlePause: 600_000, ...overrides,
  };
}

function send(overrides: Partial<DingtalkChannelConfig> = {}, msg = message, timeoutMs = 5000, now?: () => number): Promise<SendReceipt> {
  return createDingtalkChannel('ops-dingtalk', config(overrides), { now }).send(msg, AbortSignal.timeout(timeoutMs));
}

const errcode = (code: number, errmsg: string) => ({ errcode: code, errmsg });
// The shared table of provider answers (tests/support/channel-test-kit.ts): DingTalk says everything with HTTP 200 + errcode.
const cases: ProviderCase<FakeDingtalkAnswer>[] = [
  { when: 'errcode 310000 sign not match', answer: errcode(310000, 'sign not match'), then: { error: PermanentDeliveryError, reason: 'authError', message: /^DingTalk errcode 310000: sign not match$/ } },
  { when: 'errcode 310000 in the 2026 wording', answer: errcode(310000, '错误描述:关键词不匹配;解决方案:请联系群管理员查看此机器人的关键词;'), then: { error: PermanentDeliveryError, reason: 'authError', message: /^DingTalk errcode 310000: 错误描述:关键词不匹配;/ } },
  { when: 'errcode 300005 token is not exist', answer: errcode(300005, 'token is not exist'), then: { error: PermanentDeliveryError, reason: 'authError', message: /^DingTalk errcode 300005: token is not exist$/ } },
  { when: 'errcode 400102 robot disabled', answer: errcode(400102, 'bot is stopped'), then: { error: PermanentDeliveryError, reason: 'authError', message: /^DingTalk errcode 400102: bot is stopped$/ } },
  { when: 'errcode 460101 too long', answer: errcode(460101, 'message too long, exceed 20000 bytes'), then: { error: PermanentDeliveryError, reason: 'clientError', message: /^DingTalk errcode 460101: message too long/ } },
  { when: 'errcode 430102 moderation', answer: errcode(430102, 'inappropriate text'), then: { error: PermanentDeliveryError, reason: 'clientError', message: /^DingTalk errcode 430102: inappropriate text$/ } },
  { when: 'errcode 130101 send too fast', answer: 'throttled', then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 600_000, message: /^DingTalk errcode 130101: send too fast, exceed 20 times per minute$/ } },
  { when: 'errcode 410100 (newer throttling code)', answer: errcode(410100, '发送速度太快而限流'), then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 600_000, message: /^DingTalk errcode 410100: 发送速度太快而限流$/ } },
  { when: 'errcode -1 系统繁忙', answer: 'systemBusy', then: { error: RetryableDeliveryError, reason: 'serverError', message: /^DingTalk errcode -1: 系统繁忙$/ } },
  { when: "nginx's HTML 502", answer: 'badGatewayHtml', then: { error: RetryableDeliveryError, reason: 'serverError', message: /^DingTalk HTTP 502: 502 Bad Gateway/ } },
  { when: "a proxy's 429 with Retry-After", answer: { status: 429, body: '', headers: { 'Retry-After': '7' } }, then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 7000, message: /^DingTalk HTTP 429: \(empty body\)$/ } },
  { when: 'HTTP 200 that is not JSON', answer: { status: 200, body: 'OK' }, then: { error: RetryableDeliveryError, reason: 'serverError', message: /^DingTalk HTTP 200: not a robot answer: OK$/ } },
  {
    when: 'an HTML page that echoes the signed URL',
    answer: { status: 504, body: `<p>GET /robot/send?access_token=${FAKE_DINGTALK_TOKEN}&timestamp=1&sign=abc%2Bdef timed out</p>` },
    then: { error: RetryableDeliveryError, reason: 'serverError', message: /^DingTalk HTTP 504: GET \/robot\/send\?access_token=\[redacted\]&timestamp=1&sign=\[redacted\] timed out$/ },
  },
  { when: 'the connection is refused', answer: 'connectionRefused', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNREFUSED/ } },
  { when: 'the server closes the socket', answer: 'closeSocket', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNRESET: socket hang up$/ } },
  { when: 'the server never answers', answer: 'hang', timeoutMs: 200, then: { error: RetryableDeliveryError, reason: 'timeout', message: /^request timed out: no answer before the delivery timeout$/ } },
];

describe('DingTalk channel against the fake robot', () => {
  test('when DingTalk answers errcode 0, then send resolves', async () => {
    await expect(send()).resolves.toEqual({});
  });

  test.each(cases)('when the robot answers $when, then send throws the matching delivery error', async (row) => {
    const error = await expectProviderFailure(fake, row, (apiUrl, timeoutMs) => send({ apiUrl, secret: FAKE_DINGTALK_SECRET }, message, timeoutMs));

    // The signature is as good as the secret for the minute it is valid.
    expectNoSecrets(error, [FAKE_DINGTALK_TOKEN, FAKE_DINGTALK_SECRET, ...fake.requests.map((r) => r.query.sign ?? '')]);
  });

  test('when the access token is unknown, then the real check answers 300005, permanent, token hidden', async () => {
    const wrong = 'f'.repeat(64);
    const error = await failure(send({ accessToken: wrong }));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'authError', message: 'DingTalk errcode 300005: token is not exist' });
    expect(inspect(error)).not.toContain(wrong);
  });

  test('when 21 messages go out within a minute, then the 21st and later are throttled and counted', async () => {
    for (let i = 0; i < 20; i++) await send();
    for (let i = 0; i < 2; i++) expect(await failure(send())).toBeInstanceOf(RateLimitedError);
    expect(fake.rateLimited).toBe(2);
  });
});
