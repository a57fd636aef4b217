import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { createDingtalkChannel, DINGTALK_MAX_TEXT_BYTES } from '../../src/channels/dingtalk/notifier';
import { PermanentDeliveryError, RetryableDeliveryError } from '../../src/channels/delivery-errors';
import { utf8Bytes } from '../../src/channels/fit-bytes';
import type { RenderedMessage } from '../../src/channels/channel';
import type { DingtalkChannelConfig } from '../../src/channels/dingtalk/config';
import { FAKE_DINGTALK_SECRET, FAKE_DINGTALK_TOKEN, startFakeDingtalk, type FakeDingtalk, type FakeRequest } from '../fakes/fake-dingtalk';

const message = { title: '[CRITICAL] disk full', text: '### disk full\n> db-1: **93%**' };
// base64 of HMAC-SHA256 computed with openssl (see dingtalk-sign.test.ts) for this secret at 1700000000000.
const VECTOR = { secret: 'SEC0123456789abcdefTestSecretForGateway', timestamp: 1_700_000_000_000, sign: 'TK%2BWf3UrQ7ch20jv5GnNE54OGnn2DCbv24MAwaIkYJY%3D' };

let fake: FakeDingtalk;
afterEach(() => fake?.close());

function config(overrides: Partial<DingtalkChannelConfig> = {}): DingtalkChannelConfig {
  return {
    type: 'dingtalk', accessToken: FAKE_DINGTALK_TOKEN, apiUrl: fake.url, msgType: 'markdown',
    mentionMobiles: [], mentionUserIds: [], mentionAll: false, throttlePause: 600_000, ...overrides,
  };
}

function channel(overrides: Partial<DingtalkChannelConfig> = {}, now?: () => number) {
  return createDingtalkChannel('ops-dingtalk', config(overrides), { now });
}

function sendWith(overrides: Partial<DingtalkChannelConfig>, msg: RenderedMessage = message, now?: () => number) {
  return channel(overrides, now).send(msg, new AbortController().signal);
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(() => undefined, (error: unknown) => error);
  if (!(outcome instanceof Error)) throw new Error(`expected an Error, got ${inspect(outcome)}`);
  return outcome;
}

/** DingTalk's own check, written out here independently of src/. */
function validSign(request: FakeRequest | undefined, secret: string): boolean {
  const { timestamp = '', sign } = request?.query ?? {};
  return sign === createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

describe('DingTalk channel request body', () => {
  beforeEach(async () => {
    fake = await startFakeDingtalk();
  });

  test('when markdown mentions mobiles and user ids, then "at" lists them and the text names each with @', async () => {
    await sendWith({ mentionMobiles: ['13800001111'], mentionUserIds: ['user123'], mentionAll: true });

    const [request] = await fake.waitForRequests(1, 2000);
    expect(request?.path).toBe('/robot/send');
    expect(request?.query).toEqual({ access_token: FAKE_DINGTALK_TOKEN });
    expect(request?.headers['content-type']).toBe('application/json;charset=utf-8');
    expect(request?.raw).toBe(
      JSON.stringify({
        msgtype: 'markdown',
        markdown: { title: message.title, text: `${message.text}\n\n@13800001111 @user123` },
        at: { atMobiles: ['13800001111'], atUserIds: ['user123'], isAtAll: true },
      }),
    );
  });

  test('when msgType is text, then the content carries the text and the mentions', async () => {
    await sendWith({ msgType: 'text', mentionMobiles: ['13800001111'] });

    expect(fake.requests[0]?.body).toEqual({
      msgtype: 'text',
      text: { content: `${message.text}\n\n@13800001111` },
      at: { atMobiles: ['13800001111'], atUserIds: [], isAtAll: false },
    });
  });

  test('when the text is 30000 bytes of Chinese, then it is cut under the limit and DingTalk accepts it', async () => {
    const text = Array.from({ length: 1000 }, (_, i) => `第${i}行：数据库连接失败 🔥`).join('\n');

    await expect(sendWith({ mentionMobiles: ['13800001111'] }, { ...message, text })).resolves.toEqual({});

    const sent = (fake.requests[0]?.body as { markdown: { text: string } }).markdown.text;
    expect(utf8Bytes(sent)).toBeLessThanOrEqual(DINGTALK_MAX_TEXT_BYTES);
    expect(sent.endsWith('…\n\n@13800001111')).toBe(true);
  });
});

describe('DingTalk channel keyword', () => {
  beforeEach(async () => {
    fake = await startFakeDingtalk({ keywords: ['告警'] });
  });

  test('when the message lacks the keyword, then it is put first in the title and the text and the robot accepts it', async () => {
    await expect(sendWith({ keyword: '告警' })).resolves.toEqual({});
    expect(fake.requests[0]?.body).toMatchObject({ markdown: { title: `告警 ${message.title}`, text: `告警\n\n${message.text}` } });
  });

  test('when the message already holds the keyword, then it is left as it is', async () => {
    const own = { title: '告警: disk full', text: '### 告警\n> db-1' };
    await sendWith({ keyword: '告警' }, own);
    expect(fake.requests[0]?.body).toMatchObject({ markdown: own });
  });

  test('when the only keyword is at the end of a text that gets cut, then it is put first', async () => {
    const text = `${'x'.repeat(30_000)}\n告警`;
    await expect(sendWith({ keyword: '告警', msgType: 'text' }, { ...message, text })).resolves.toEqual({});
    expect((fake.requests[0]?.body as { text: { content: string } }).text.content.startsWith('告警\n\nxxx')).toBe(true);
  });

  test('when no keyword is configured for a keyword robot, then DingTalk refuses it, permanently', async () => {
    const error = await failure(sendWith({}));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'authError', message: 'DingTalk errcode 310000: keywords not in content' });
  });
});

describe('DingTalk channel signature', () => {
  beforeEach(async () => {
    fake = await startFakeDingtalk({ secret: FAKE_DINGTALK_SECRET });
  });

  test('when the clock says 1700000000000, then the URL carries that timestamp and the openssl-computed sign', async () => {
    await failure(sendWith({ secret: VECTOR.secret }, message, () => VECTOR.timestamp));
    expect(fake.requests[0]?.rawQuery).toBe(`access_token=${FAKE_DINGTALK_TOKEN}&timestamp=${VECTOR.timestamp}&sign=${VECTOR.sign}`);
  });

  test('when the secret is right, then DingTalk verifies the sign and accepts the message', async () => {
    await expect(sendWith({ secret: FAKE_DINGTALK_SECRET })).resolves.toEqual({});
    expect(validSign(fake.requests[0], FAKE_DINGTALK_SECRET)).toBe(true);
  });

  test('when a send is retried, then the retry is signed again with a fresh timestamp', async () => {
    const times = [Date.now() - 5000, Date.now()];
    const robot = channel({ secret: FAKE_DINGTALK_SECRET }, () => times.shift() ?? Date.now());
    fake.script('systemBusy');

    await expect(robot.send(message, new AbortController().signal)).rejects.toBeInstanceOf(RetryableDeliveryError);
    await expect(robot.send(message, new AbortController().signal)).resolves.toEqual({});

    const [first, second] = fake.requests;
    expect(first?.query.timestamp).not.toBe(second?.query.timestamp);
    expect(first?.query.sign).not.toBe(second?.query.sign);
    expect(validSign(first, FAKE_DINGTALK_SECRET)).toBe(true);
    expect(validSign(second, FAKE_DINGTALK_SECRET)).toBe(true);
  });

  test('when the secret is wrong, then DingTalk answers sign not match, permanently, and no secret shows', async () => {
    const wrong = 'SECwrongwrongwrongwrongwrongwrongwrongwrongwrongwrongwrongwrongwrong';
    const error = await failure(sendWith({ secret: wrong }));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'authError', message: 'DingTalk errcode 310000: sign not match' });
    expect(inspect(error)).not.toContain(wrong);
  });

  test('when the clock is more than an hour off, then DingTalk answers invalid timestamp', async () => {
    const error = await failure(sendWith({ secret: FAKE_DINGTALK_SECRET }, message, () => Date.now() - 2 * 3600_000));
    expect(error.message).toBe('DingTalk errcode 310000: invalid timestamp');
  });

  test('when webhookUrl holds an old signature, then it is replaced by a fresh one', async () => {
    const webhookUrl = `${fake.url}/robot/send?access_token=${FAKE_DINGTALK_TOKEN}&timestamp=1600000000000&sign=old`;
    await expect(sendWith({ accessToken: undefined, webhookUrl, secret: FAKE_DINGTALK_SECRET })).resolves.toEqual({});
    expect(fake.requests[0]?.rawQuery).toMatch(new RegExp(`^access_token=${FAKE_DINGTALK_TOKEN}&timestamp=\\d{13}&sign=[^&]+$`));
  });

  test('when previewed, then the body is what send posts and the URL hides token and sign', async () => {
    const robot = channel({ secret: FAKE_DINGTALK_SECRET, keyword: '告警' }, () => VECTOR.timestamp);
    const preview = robot.preview(message);
    await failure(robot.send(message, new AbortController().signal));

    expect(preview).toEqual({ method: 'POST', url: `${fake.url}/robot/send?access_token=[redacted]&timestamp=${VECTOR.timestamp}&sign=[redacted]`, body: fake.requests[0]?.body });
    expect(JSON.stringify(preview)).not.toMatch(new RegExp(`${FAKE_DINGTALK_TOKEN}|${FAKE_DINGTALK_SECRET}|${fake.requests[0]?.query.sign}`));
  });
});
