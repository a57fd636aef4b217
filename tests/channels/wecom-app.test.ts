import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import type { Channel, RenderedMessage, SendReceipt } from '../../src/channels/channel';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../../src/channels/delivery-errors';
import { utf8Bytes } from '../../src/channels/fit-bytes';
import { wecomAppConfigSchema, type WecomAppChannelConfig } from '../../src/channels/wecom-app/config';
import { createWecomAppChannel } from '../../src/channels/wecom-app/notifier';
import { FAKE_AGENT_ID, FAKE_CORP_ID, FAKE_CORP_SECRET, startFakeWecomApp, type FakeWecomApp, type FakeWecomAppAnswer } from '../fakes/fake-wecom-app';
import { expectNoSecrets, expectProviderFailure, failure, type ProviderCase } from '../support/channel-test-kit';
import { rateLimitFor } from '../../src/queue/rate-limits';
import { removeKeys, testRedisUrl, uniquePrefix } from '../support/test-redis';

const message: RenderedMessage = { title: '[CRITICAL] disk full on db-1', text: '## 磁盘告警\n> db-1: <font color="warning">93%</font>', status: 'firing', severity: 'critical' };

let fake: FakeWecomApp;
let redis: Redis;
let prefix: string;
beforeEach(async () => {
  fake = await startFakeWecomApp();
  redis = new Redis(testRedisUrl());
  prefix = uniquePrefix('wecomapp');
});
afterEach(async () => {
  redis.disconnect();
  await Promise.all([fake.close(), removeKeys(prefix)]);
});

function config(overrides: Record<string, unknown> = {}): WecomAppChannelConfig {
  return wecomAppConfigSchema.parse({ type: 'wecom-app', apiUrl: fake.url, corpId: FAKE_CORP_ID, corpSecret: FAKE_CORP_SECRET, agentId: FAKE_AGENT_ID, toUser: ['zhangsan', 'lisi'], ...overrides });
}

function channel(overrides: Record<string, unknown> = {}, connection = redis): Channel {
  return createWecomAppChannel('ops-app', config(overrides), { redis: connection, prefix });
}

function send(overrides: Record<string, unknown> = {}, content: Partial<RenderedMessage> = {}, timeoutMs = 5000): Promise<SendReceipt> {
  return channel(overrides).send({ ...message, ...content }, AbortSignal.timeout(timeoutMs));
}

const HINT = String.raw`, hint: \[\d+_fake\], from ip: 127\.0\.0\.1, more info at https://open\.work\.weixin\.qq\.com/devtool/query\?e=`;

// message/send answers, once a token is stored (tests/support/channel-test-kit.ts runs each row).
const cases: ProviderCase<FakeWecomAppAnswer>[] = [
  { when: 'errcode 45009 api freq out of limit', answer: 'freqLimit', then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 60_000, message: new RegExp(`^WeCom app message/send errcode 45009: api freq out of limit${HINT}45009$`) } },
  { when: 'errcode 45033 concurrency limit', answer: 'concurrencyLimit', then: { error: RetryableDeliveryError, reason: 'serverError', message: /^WeCom app message\/send errcode 45033: api concurrent out of limit/ } },
  { when: 'errcode -1 system busy', answer: 'systemBusy', then: { error: RetryableDeliveryError, reason: 'serverError', message: /^WeCom app message\/send errcode -1: system busy, hint/ } },
  { when: 'errcode 40056 invalid agentid', answer: { errcode: 40056, errmsg: 'invalid agentid' }, then: { error: PermanentDeliveryError, reason: 'authError', message: /^WeCom app message\/send errcode 40056: invalid agentid$/ } },
  { when: 'errcode 40058 too long', answer: { errcode: 40058, errmsg: 'markdown.content exceed max length 2048. invalid Request Parameter' }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^WeCom app message\/send errcode 40058: markdown\.content exceed/ } },
  { when: 'an errcode nobody documented', answer: { errcode: 12345, errmsg: '' }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^WeCom app message\/send errcode 12345: no errmsg$/ } },
  { when: "nginx's HTML 502", answer: 'badGatewayHtml', then: { error: RetryableDeliveryError, reason: 'serverError', message: /^WeCom app message\/send HTTP 502: 502 Bad Gateway/ } },
  { when: 'HTTP 200 that is not JSON', answer: { status: 200, body: '<html>captive portal</html>' }, then: { error: RetryableDeliveryError, reason: 'serverError', message: /^WeCom app message\/send HTTP 200: not a WeCom answer: captive portal$/ } },
  { when: 'the connection is refused', answer: 'connectionRefused', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNREFUSED/ } },
  { when: 'the server closes the socket', answer: 'closeSocket', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNRESET: socket hang up$/ } },
  { when: 'the server never answers', answer: 'hang', timeoutMs: 300, then: { error: RetryableDeliveryError, reason: 'timeout', message: /^request timed out: no answer before the delivery timeout$/ } },
];

describe('WeCom app channel against the fake API', () => {
  test('when the first message goes out, then one gettoken buys the token, the exact body is posted and the msgid comes back', async () => {
    const receipt = await send({ toParty: [2], toTag: '7' });

    expect(receipt).toEqual({ providerMessageId: 'fake-msgid-1' });
    expect(fake.tokenRequests).toBe(1);
    const [request] = fake.sends;
    expect(request?.method).toBe('POST');
    expect(request?.query).toEqual({ access_token: fake.currentToken });
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(request?.raw).toBe(JSON.stringify({ touser: 'zhangsan|lisi', toparty: '2', totag: '7', agentid: FAKE_AGENT_ID, msgtype: 'markdown', markdown: { content: message.text } }));
  });

  test('when later messages go out, from this channel or another one on its own Redis connection, then the stored token is reused', async () => {
    const other = new Redis(testRedisUrl());
    try {
      await send();
      await send();
      await channel({}, other).send(message, AbortSignal.timeout(5000));
    } finally {
      other.disconnect();
    }
    expect(fake.sends).toHaveLength(3);
    expect(fake.tokenRequests).toBe(1);
    // Kept until 300 s before WeCom's expires_in (7200 s) runs out.
    const [key] = await redis.keys(`${prefix}:wecom-app:*:token`);
    expect(await redis.get(key!)).toBe(fake.currentToken);
    const ttl = await redis.pttl(key!);
    expect(ttl).toBeGreaterThan(6_800_000);
    expect(ttl).toBeLessThanOrEqual(6_900_000);
  });

  test('when WeCom expired the token (42001), then one new token is fetched and the message resent within the same send', async () => {
    await send();
    const old = fake.currentToken;
    fake.expireToken();

    await expect(send()).resolves.toEqual({ providerMessageId: 'fake-msgid-2' });

    expect(fake.tokenRequests).toBe(2);
    expect(fake.sends.map((r) => r.query.access_token)).toEqual([old, old, fake.currentToken]);
    expect(fake.currentToken).not.toBe(old);
  });

  test('when the token is refused twice (40014 also for the fresh one), then the send fails retryably, saying so', async () => {
    await send();
    fake.script({ errcode: 40014, errmsg: 'invalid access_token' }, { errcode: 40014, errmsg: 'invalid access_token' });

    const error = await failure(send());

    expect(error).toBeInstanceOf(RetryableDeliveryError);
    expect(error.message).toBe('WeCom app message/send errcode 40014: invalid access_token (also with a freshly fetched access_token)');
    expect(fake.tokenRequests).toBe(2);
    expect(fake.sends).toHaveLength(3);
  });

  test.each(cases)('when message/send answers $when, then send throws the matching delivery error', async (row) => {
    await send(); // the token is stored; the row's answer is for message/send alone
    const sent = fake.sends.length;
    const sends = { url: fake.url, get requests() { return fake.sends.slice(sent); }, script: fake.script };

    const error = await expectProviderFailure(sends, row, (apiUrl, timeoutMs) => send({ apiUrl }, {}, timeoutMs));

    expect(fake.tokenRequests).toBe(1);
    expectNoSecrets(error, [FAKE_CORP_SECRET, fake.currentToken!]);
  });

  test('when the server IP is not trusted (60020), then the send fails at once telling the operator which IP to add where', async () => {
    await fake.close();
    fake = await startFakeWecomApp({ trustedIp: false });

    const error = await failure(send());

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'authError' });
    expect(error.message).toMatch(new RegExp(`^WeCom app message/send errcode 60020: not allow to access from your ip${HINT}60020 \\(add this server's public IP 127\\.0\\.0\\.1 to the app's trusted IPs, 企业可信IP, in the WeCom admin console\\)$`));
  });

  test.each([
    { when: 'corpSecret is wrong', overrides: { corpSecret: 'wrong-secret-0123456789' }, message: /^WeCom app gettoken errcode 40001: invalid credential/ },
    { when: 'corpId is wrong', overrides: { corpId: 'ww0000000000000000' }, message: /^WeCom app gettoken errcode 40013: invalid corpid/ },
  ])('when $when, then the send fails at once, and the next one fails the same way without calling gettoken again', async ({ overrides, message: expected }) => {
    const first = await failure(send(overrides));
    const second = await failure(send(overrides));

    for (const error of [first, second]) {
      expect(error).toBeInstanceOf(PermanentDeliveryError);
      expect(error).toMatchObject({ reason: 'authError' });
      expect(error.message).toMatch(expected);
      expectNoSecrets(error, ['wrong-secret-0123456789', FAKE_CORP_SECRET]);
    }
    expect(second.message).toMatch(/\(remembered for 60 s; gettoken not called again\)$/);
    expect(fake.tokenRequests).toBe(1);
    expect(fake.sends).toHaveLength(0);
  });

  test('when some recipients are unknown, then the send succeeds and the receipt carries a warning naming them', async () => {
    const receipt = await send({ toUser: ['zhangsan', 'nobody'], toParty: [2, 99] });

    expect(receipt).toEqual({ providerMessageId: 'fake-msgid-1', warning: 'WeCom app skipped recipients: invaliduser=nobody invalidparty=99' });
  });

  test('when no recipient is known (81013), then the send fails at once saying which settings to check', async () => {
    const error = await failure(send({ toUser: ['nobody'] }));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toMatch(/^WeCom app message\/send errcode 81013: user & party & tag all invalid, hint: .* \(none of toUser, toParty, toTag exists in the app's visible range\)$/);
  });

  test('when Redis is unreachable, then the send fails retryably without calling WeCom', async () => {
    const away = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    const error = await failure(channel({}, away).send(message, AbortSignal.timeout(5000)));
    away.disconnect();

    expect(error).toBeInstanceOf(RetryableDeliveryError);
    expect(error).toMatchObject({ reason: 'networkError' });
    expect(error.message).toMatch(/^Redis, for the WeCom app token: /);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('WeCom app channel concurrency', () => {
  test('when 40 sends from 4 channels on 4 Redis connections start at once, then gettoken is called exactly once', async () => {
    await fake.close();
    fake = await startFakeWecomApp({ gettokenDelayMs: 300, perMemberPerMinute: 1000 });
    const connections = Array.from({ length: 4 }, () => new Redis(testRedisUrl()));
    try {
      const channels = connections.map((connection) => channel({}, connection));
      const sends = Array.from({ length: 40 }, (_, i) => channels[i % 4]!.send({ ...message, text: `alert ${i}` }, AbortSignal.timeout(10_000)));
      await Promise.all(sends);
    } finally {
      connections.forEach((connection) => connection.disconnect());
    }
    expect(fake.tokenRequests).toBe(1);
    expect(fake.sends).toHaveLength(40);
  });

  test('when 20 in-flight sends all meet an expired token, then exactly one refresh serves them all', async () => {
    await fake.close();
    fake = await startFakeWecomApp({ gettokenDelayMs: 200, perMemberPerMinute: 1000 });
    await send();
    fake.expireToken();
    const connections = Array.from({ length: 4 }, () => new Redis(testRedisUrl()));
    try {
      const channels = connections.map((connection) => channel({}, connection));
      await Promise.all(Array.from({ length: 20 }, (_, i) => channels[i % 4]!.send({ ...message, text: `alert ${i}` }, AbortSignal.timeout(10_000))));
    } finally {
      connections.forEach((connection) => connection.disconnect());
    }
    expect(fake.tokenRequests).toBe(2);
    expect(fake.sends.filter((r) => r.query.access_token === fake.currentToken)).toHaveLength(20);
  });
});

describe('WeCom app channel request', () => {
  test.each([
    { msgType: 'markdown' as const },
    { msgType: 'text' as const },
  ])('when a $msgType message in Chinese and emoji is over 2048 bytes, then it is cut to fit and WeCom takes it whole', async ({ msgType }) => {
    const long = Array.from({ length: 200 }, (_, i) => `第${i}行 数据库连接失败 🔥`).join('\n');

    await send({ msgType }, { text: long });

    const content = (fake.sends[0]?.body as Record<string, { content: string }>)[msgType]!.content;
    expect(utf8Bytes(content)).toBeLessThanOrEqual(2048);
    expect(utf8Bytes(content)).toBeGreaterThan(2048 - 100);
    expect(content.endsWith('…')).toBe(true);
    expect(fake.cutTexts).toBe(0);
  });

  test('when msgType is textcard and the alert has a link, then a card goes out: title, coloured lines, url, within the sizes', async () => {
    const text = `[FIRING CRITICAL] disk full <script>\n  instance: db-1\n${'  label: x\n'.repeat(80)}`;
    await send({ msgType: 'textcard', toUser: '@all' }, { title: 'T'.repeat(200), text, url: 'https://grafana.example.com/d/x' });

    const body = fake.sends[0]?.body as { touser: string; msgtype: string; textcard: { title: string; description: string; url: string } };
    expect(body.touser).toBe('@all');
    expect(body.msgtype).toBe('textcard');
    expect(Array.from(body.textcard.title)).toHaveLength(128);
    expect(body.textcard.title.endsWith('…')).toBe(true);
    expect(body.textcard.url).toBe('https://grafana.example.com/d/x');
    expect(body.textcard.description.startsWith('<div class="highlight">[FIRING CRITICAL] disk full ‹script></div><div class="normal">instance: db-1</div>')).toBe(true);
    expect(Array.from(body.textcard.description).length).toBeLessThanOrEqual(512);
    expect(body.textcard.description.endsWith('</div>')).toBe(true);
  });

  test('when msgType is textcard and the message is resolved, then its headline is grey', async () => {
    await send({ msgType: 'textcard' }, { text: '[RESOLVED] disk full', status: 'resolved', url: 'https://grafana.example.com/d/x' });
    expect((fake.sends[0]?.body as { textcard: { description: string } }).textcard.description).toBe('<div class="gray">[RESOLVED] disk full</div>');
  });

  test('when msgType is textcard but the alert has no link, then it goes out as a text message', async () => {
    await send({ msgType: 'textcard' }, { text: 'no link here' });
    expect(fake.sends[0]?.body).toMatchObject({ msgtype: 'text', text: { content: 'no link here' } });
  });
});

describe('WeCom app channel preview', () => {
  test('when previewed, then the body is what send posts and neither the secret nor a token shows', async () => {
    const app = channel();

    const preview = app.preview(message);
    await app.send(message, AbortSignal.timeout(5000));

    expect(preview).toEqual({ method: 'POST', url: `${fake.url}/cgi-bin/message/send?access_token=[redacted]`, body: fake.sends[0]?.body });
    expect(inspect(preview)).not.toContain(FAKE_CORP_SECRET);
    expect(fake.requests).toHaveLength(2); // gettoken, message/send: the preview sent nothing
  });
});

describe('WeCom app config', () => {
  test.each([
    { when: 'no recipient is named', raw: { toUser: [] }, problem: 'name at least one recipient' },
    { when: '"@all" is listed with others', raw: { toUser: ['@all', 'zhangsan'] }, problem: '"@all" goes alone' },
    { when: 'an id holds "|"', raw: { toUser: 'zhangsan|lisi' }, problem: 'one id, without "|"' },
    { when: 'agentId is not a number', raw: { agentId: 'abc' }, problem: "the app's AgentId" },
  ])('when $when, then the config is refused with that problem', ({ raw, problem }) => {
    const parsed = wecomAppConfigSchema.safeParse({ type: 'wecom-app', corpId: FAKE_CORP_ID, corpSecret: FAKE_CORP_SECRET, agentId: FAKE_AGENT_ID, toUser: ['zhangsan'], ...raw });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message).join('; ')).toContain(problem);
  });

  test('when agentId and ids come from YAML as numbers or a single string, then they are read as the API wants them', () => {
    const parsed = wecomAppConfigSchema.parse({ type: 'wecom-app', corpId: FAKE_CORP_ID, corpSecret: FAKE_CORP_SECRET, agentId: '1000002', toUser: '@all', toParty: 2, toTag: [7, 8] });
    expect(parsed).toMatchObject({ agentId: 1000002, toUser: ['@all'], toParty: ['2'], toTag: ['7', '8'], msgType: 'markdown', apiUrl: 'https://qyapi.weixin.qq.com', throttlePause: 60_000 });
  });

  test('when no rateLimit is configured, then the channel is paced evenly under WeCom\'s silent 30/min and 1000/h per member', () => {
    const pace = rateLimitFor(config());
    expect(pace).toEqual({ max: 1, durationMs: 3954 });
    expect(60_000 / pace!.durationMs).toBeLessThan(30);
    expect(3_600_000 / pace!.durationMs).toBeLessThan(1000);
  });
});
