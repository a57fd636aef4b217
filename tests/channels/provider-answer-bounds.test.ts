import { PassThrough, Readable } from 'node:stream';
import { MAX_PROVIDER_TEXT_CHARS } from '../../src/channels/classify-response';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../../src/channels/delivery-errors';
import { MAX_ANSWER_BYTES } from '../../src/channels/provider-http';
import { readCapped } from '../../src/channels/read-capped';
import { createTelegramChannel } from '../../src/channels/telegram/notifier';
import { createWecomChannel } from '../../src/channels/wecom/notifier';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { FAKE_WECOM_KEY, startFakeWecom, type FakeWecom } from '../fakes/fake-wecom';
import { failure } from '../support/channel-test-kit';

const message = { title: 'disk full', text: '<b>[FIRING]</b> disk full on <code>db-1</code>' };
const TEN_MB = 10 * 1024 * 1024;
// An error message: the provider's part cut to MAX_PROVIDER_TEXT_CHARS plus our prefix and the cut marker.
const MAX_ERROR_CHARS = MAX_PROVIDER_TEXT_CHARS + 100;

let telegram: FakeTelegram;
let wecom: FakeWecom;
beforeEach(async () => {
  [telegram, wecom] = await Promise.all([startFakeTelegram(), startFakeWecom()]);
});
afterEach(() => Promise.all([telegram.close(), wecom.close()]));

function sendTelegram(): Promise<unknown> {
  const config = { type: 'telegram' as const, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), apiUrl: telegram.url, disableNotification: false };
  return createTelegramChannel('ops', config).send(message, AbortSignal.timeout(20_000));
}

function sendWecom(): Promise<unknown> {
  const config = { type: 'wecom' as const, key: FAKE_WECOM_KEY, apiUrl: wecom.url, msgType: 'markdown' as const, mentionMobiles: [], mentionUserIds: [], throttlePause: 60_000 };
  return createWecomChannel('ops-wecom', config).send(message, AbortSignal.timeout(20_000));
}

describe('provider answers are read up to a bounded size', () => {
  test('when a proxy answers 502 with 128 KiB of "<", then the error is a retryable serverError with a short message', async () => {
    // The old tag-stripping regex rescanned to the end from every "<": 60 KB took 4-5 s per attempt.
    telegram.script({ status: 502, body: '<'.repeat(128 * 1024), headers: { 'Content-Type': 'text/html' } });

    const error = await failure(sendTelegram());

    expect(error).toBeInstanceOf(RetryableDeliveryError);
    expect(error).toMatchObject({ reason: 'serverError' });
    expect(error.message).toMatch(/^Telegram HTTP 502: not a Bot API answer: <{120}…$/);
  });

  test('when Telegram answers 200 with 10 MB, then only the first MiB is read and the answer is a retryable error, not a delivery', async () => {
    telegram.script({ status: 200, body: `{"ok":true,"result":{"message_id":1},"pad":"${'x'.repeat(TEN_MB)}"}`, headers: { 'Content-Type': 'application/json' } });

    const error = await failure(sendTelegram());

    expect(error).toBeInstanceOf(RetryableDeliveryError);
    expect(error).toMatchObject({ reason: 'serverError' });
    expect(error.message).toMatch(/^Telegram HTTP 200: not a Bot API answer: larger than 1024 KiB, cut: \{"ok":true/);
    expect(error.message.length).toBeLessThan(MAX_ERROR_CHARS);
  });

  test('when a 503 or a 429 answer is 10 MB, then the status still decides: retryable, and rate limited with its Retry-After', async () => {
    telegram.script(
      { status: 503, body: 'x'.repeat(TEN_MB) },
      { status: 429, body: '<p>'.repeat(TEN_MB / 3), headers: { 'Retry-After': '7' } },
      { status: 401, body: 'y'.repeat(TEN_MB) },
    );

    const unavailable = await failure(sendTelegram());
    const throttled = await failure(sendTelegram());
    const unauthorized = await failure(sendTelegram());

    expect(unavailable).toBeInstanceOf(RetryableDeliveryError);
    expect(unavailable.message).toMatch(/^Telegram HTTP 503: not a Bot API answer: larger than 1024 KiB, cut: x{120}…$/);
    expect(throttled).toBeInstanceOf(RateLimitedError);
    expect(throttled).toMatchObject({ retryAfterMs: 7000 });
    // A proxy's page, not Telegram's 401: as before, a non-Bot-API answer other than 3xx/429 is transient.
    expect(unauthorized).toBeInstanceOf(RetryableDeliveryError);
  });

  test('when Telegram refuses with a 1 MB description, then the error keeps a bounded, marked start of it', async () => {
    const description = `Bad Request: ${'z'.repeat(1000 * 1000)}`;
    telegram.script({ status: 400, body: JSON.stringify({ ok: false, error_code: 400, description }) });

    const error = await failure(sendTelegram());

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toMatch(/^Telegram 400: Bad Request: z+…$/);
    expect(error.message.length).toBeLessThan(MAX_ERROR_CHARS);
  });

  test('when a WeCom robot answers 200 with 10 MB, then it is a retryable error, not a delivery', async () => {
    wecom.script({ status: 200, body: `{"errcode":0,"errmsg":"ok","pad":"${'x'.repeat(TEN_MB)}"}` });

    const error = await failure(sendWecom());

    expect(error).toBeInstanceOf(RetryableDeliveryError);
    expect(error.message).toMatch(/^WeCom HTTP 200: not a robot answer: larger than 1024 KiB, cut: \{"errcode":0/);
  });

  test('when a WeCom robot gives an errcode with a 1 MB errmsg, then the error keeps a bounded start of it', async () => {
    wecom.script({ errcode: 40058, errmsg: `content too long ${'m'.repeat(1000 * 1000)}` });

    const error = await failure(sendWecom());

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toMatch(/^WeCom errcode 40058: content too long m+…$/);
    expect(error.message.length).toBeLessThan(MAX_ERROR_CHARS);
  });
});

describe('readCapped', () => {
  test('when a stream never ends, then reading stops at the cap and the stream is destroyed', async () => {
    let pushed = 0;
    const endless = new Readable({
      read() {
        pushed += 64 * 1024;
        this.push(Buffer.alloc(64 * 1024, 0x3c));
      },
    });

    const { bytes, cut } = await readCapped(endless, MAX_ANSWER_BYTES);

    expect(cut).toBe(true);
    expect(bytes.length).toBe(MAX_ANSWER_BYTES);
    expect(endless.destroyed).toBe(true);
    expect(pushed).toBeLessThan(2 * MAX_ANSWER_BYTES);
  });

  test('when a stream ends below the cap, then all of it is returned, not cut', async () => {
    const stream = new PassThrough();
    stream.end(Buffer.from('{"errcode":0,"errmsg":"ok"}'));

    await expect(readCapped(stream, MAX_ANSWER_BYTES)).resolves.toEqual({ bytes: Buffer.from('{"errcode":0,"errmsg":"ok"}'), cut: false });
  });
});
