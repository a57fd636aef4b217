import { inspect } from 'node:util';
import type { SendReceipt } from '../../src/channels/channel';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../../src/channels/delivery-errors';
import type { FeishuChannelConfig } from '../../src/channels/feishu/config';
import { createFeishuChannel } from '../../src/channels/feishu/notifier';
import { FAKE_FEISHU_SECRET, FAKE_FEISHU_TOKEN, FEISHU_MSG, startFakeFeishu, type FakeFeishu, type FakeFeishuAnswer } from '../fakes/fake-feishu';
import { expectNoSecrets, expectProviderFailure, failure, type ProviderCase } from '../support/channel-test-kit';

const message = { title: '[CRITICAL] disk full', text: '磁盘告警\ndb-1: 93%', status: 'firing' as const, severity: 'critical' as const };

let fake: FakeFeishu;
beforeEach(async () => {
  fake = await startFakeFeishu({ secret: FAKE_FEISHU_SECRET });
});
afterEach(() => fake.close());

function config(overrides: Partial<FeishuChannelConfig> = {}): FeishuChannelConfig {
  return { type: 'feishu', token: FAKE_FEISHU_TOKEN, secret: FAKE_FEISHU_SECRET, apiUrl: fake.url, msgType: 'interactive', throttlePause: 60_000, ...overrides };
}

function send(overrides: Partial<FeishuChannelConfig> = {}, timeoutMs = 5000): Promise<SendReceipt> {
  return createFeishuChannel('ops-feishu', config(overrides)).send(message, AbortSignal.timeout(timeoutMs));
}

const code = (c: number, msg: string): FakeFeishuAnswer => ({ code: c, msg });
// The shared table of provider answers (tests/support/channel-test-kit.ts), as Feishu gives them (docs/providers.md §6.5).
const cases: ProviderCase<FakeFeishuAnswer>[] = [
  { when: 'code 19021 sign mismatch', answer: code(19021, FEISHU_MSG.signMismatch), then: { error: PermanentDeliveryError, reason: 'authError', message: /^Feishu code 19021: sign match fail or timestamp is not within one hour from current time$/ } },
  { when: 'code 19024 keyword missing', answer: code(19024, FEISHU_MSG.keywordsNotFound), then: { error: PermanentDeliveryError, reason: 'authError', message: /^Feishu code 19024: Key Words Not Found$/ } },
  { when: 'code 19022 IP not allowed', answer: 'ipNotAllowed', then: { error: PermanentDeliveryError, reason: 'authError', message: /^Feishu code 19022: ip not allowed$/ } },
  { when: 'code 19001 token invalid', answer: code(19001, FEISHU_MSG.tokenInvalid), then: { error: PermanentDeliveryError, reason: 'authError', message: /^Feishu code 19001: param invalid: incoming webhook access token invalid$/ } },
  { when: 'code 19002 msg_type needed', answer: code(19002, FEISHU_MSG.msgTypeNeeded), then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Feishu code 19002: params error, msg_type need$/ } },
  { when: 'HTTP 400 code 9499 Bad Request', answer: { status: 400, body: JSON.stringify({ code: 9499, data: {}, msg: 'Bad Request: fail to parse content' }) }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Feishu code 9499: Bad Request: fail to parse content$/ } },
  { when: 'HTTP 400 code 9499 too many request', answer: 'tooManyRequests', then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 60_000, message: /^Feishu code 9499: too many request$/ } },
  { when: 'code 11232 under system load', answer: 'systemLoad', then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 60_000, message: /^Feishu code 11232: frequency limited$/ } },
  { when: 'only the legacy StatusCode 9499', answer: { status: 200, body: JSON.stringify({ StatusCode: 9499, StatusMessage: 'too many request' }) }, then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 60_000, message: /^Feishu code 9499: too many request$/ } },
  { when: 'an undocumented code', answer: code(12345, ''), then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Feishu code 12345: no msg$/ } },
  { when: "nginx's HTML 502", answer: 'badGatewayHtml', then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Feishu HTTP 502: 502 Bad Gateway/ } },
  { when: 'a 500 with a JSON body', answer: { status: 500, body: JSON.stringify({ code: 0, msg: 'success' }) }, then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Feishu HTTP 500: code 0: success$/ } },
  { when: 'HTTP 403 claiming code 0', answer: { status: 403, body: JSON.stringify({ code: 0, msg: 'success' }) }, then: { error: PermanentDeliveryError, reason: 'authError', message: /^Feishu HTTP 403: code 0: success$/ } },
  { when: "a proxy's 429 with Retry-After", answer: { status: 429, body: 'slow down', headers: { 'Retry-After': '3' } }, then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 3000, message: /^Feishu HTTP 429: slow down$/ } },
  { when: 'a 404 (apiUrl points elsewhere)', answer: { status: 404, body: '404 page not found' }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Feishu HTTP 404: 404 page not found$/ } },
  { when: 'HTTP 200 that is not JSON', answer: { status: 200, body: '<html>captive portal</html>' }, then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Feishu HTTP 200: not a bot answer: captive portal$/ } },
  {
    when: 'an HTML page that echoes the hook URL',
    answer: { status: 504, body: `<p>POST /open-apis/bot/v2/hook/${FAKE_FEISHU_TOKEN} timed out</p>` },
    then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Feishu HTTP 504: POST \/open-apis\/bot\/v2\/hook\/\[redacted\] timed out$/ },
  },
  { when: 'the connection is refused', answer: 'connectionRefused', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNREFUSED/ } },
  { when: 'the server closes the socket', answer: 'closeSocket', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNRESET: socket hang up$/ } },
  { when: 'the server never answers', answer: 'hang', timeoutMs: 200, then: { error: RetryableDeliveryError, reason: 'timeout', message: /^request timed out: no answer before the delivery timeout$/ } },
];

describe('Feishu channel against the fake bot', () => {
  test('when the bot answers code 0, then send resolves and the fake verified the signature', async () => {
    await expect(send()).resolves.toEqual({});
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.path).toBe(`/open-apis/bot/v2/hook/${FAKE_FEISHU_TOKEN}`);
  });

  test.each(cases)('when the bot answers $when, then send throws the matching delivery error', async (row) => {
    const error = await expectProviderFailure(fake, row, (apiUrl, timeoutMs) => send({ apiUrl }, timeoutMs));

    // The signature is as good as the secret for the hour it is valid.
    expectNoSecrets(error, [FAKE_FEISHU_TOKEN, FAKE_FEISHU_SECRET, ...fake.requests.map((r) => String((r.body as { sign?: string } | undefined)?.sign ?? FAKE_FEISHU_TOKEN))]);
  });

  test('when the token is unknown, then the real check answers 19001, permanent, token hidden', async () => {
    const wrong = '00000000-1111-2222-3333-444444444444';
    const error = await failure(send({ token: wrong }));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'authError', message: `Feishu code 19001: ${FEISHU_MSG.tokenInvalid}` });
    expect(inspect(error)).not.toContain(wrong);
  });

  test('when the secret is wrong, then the real check answers 19021 with Feishu\'s words, permanently, and no secret shows', async () => {
    const wrong = 'thisIsNotTheBotsSecret00';
    const error = await failure(send({ secret: wrong }));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'authError', message: `Feishu code 19021: ${FEISHU_MSG.signMismatch}` });
    expectNoSecrets(error, [wrong, FAKE_FEISHU_TOKEN]);
  });

  test('when throttlePause is configured, then "too many request" pauses the channel for that long', async () => {
    fake.script('tooManyRequests');
    const error = await failure(send({ throttlePause: 5000 }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 5000 });
  });

  test('when the bot has used up its minute, then its own "too many request" answer is a rate limit, counted by the fake', async () => {
    await fake.close();
    fake = await startFakeFeishu({ secret: FAKE_FEISHU_SECRET, perMinute: 3 });
    for (let i = 0; i < 3; i++) await send();
    for (let i = 0; i < 2; i++) expect(await failure(send())).toBeInstanceOf(RateLimitedError);
    expect(fake.rateLimited).toBe(2);
  });
});
