import type { SendReceipt } from '../../src/channels/channel';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../../src/channels/delivery-errors';
import { MessageNotEditableError } from '../../src/channels/edit-errors';
import { createTelegramChannel } from '../../src/channels/telegram/notifier';
import type { TelegramChannelConfig } from '../../src/channels/telegram/config';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram, type FakeTelegramAnswer } from '../fakes/fake-telegram';
import { expectNoSecrets, expectProviderFailure, failure, type ProviderCase } from '../support/channel-test-kit';

const TOKEN_SECRET = FAKE_TELEGRAM_TOKEN.split(':')[1] ?? FAKE_TELEGRAM_TOKEN;
const message = { title: 'disk full', text: '<b>[FIRING]</b> disk &gt; 90% on <code>db-1</code>' };

let fake: FakeTelegram;
beforeEach(async () => {
  fake = await startFakeTelegram();
});
afterEach(() => fake.close());

function config(overrides: Partial<TelegramChannelConfig> = {}): TelegramChannelConfig {
  return { type: 'telegram', botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), apiUrl: fake.url, disableNotification: false, ...overrides };
}

function send(overrides: Partial<TelegramChannelConfig> = {}, timeoutMs = 5000, signal = new AbortController().signal): Promise<SendReceipt> {
  return createTelegramChannel('ops-telegram', config(overrides)).send(message, AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]));
}

// The shared table of provider answers (tests/support/channel-test-kit.ts).
const cases: ProviderCase<FakeTelegramAnswer>[] = [
  { when: '400 chat not found', answer: 'chatNotFound', then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Telegram 400: Bad Request: chat not found$/ } },
  { when: '401 Unauthorized', answer: 'unauthorized', then: { error: PermanentDeliveryError, reason: 'authError', message: /^Telegram 401: Unauthorized$/ } },
  { when: '403 bot was kicked', answer: 'botKicked', then: { error: PermanentDeliveryError, reason: 'authError', message: /^Telegram 403: Forbidden: bot was kicked from the supergroup chat$/ } },
  { when: '404 Not Found', answer: 'notFound', then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Telegram 404: Not Found$/ } },
  { when: '429 with retry_after 35', answer: { tooManyRequests: 35 }, then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 35_000, message: /^Telegram 429: Too Many Requests: retry after 35$/ } },
  {
    when: "a proxy's HTML 429 with only a Retry-After header",
    answer: { status: 429, body: '<html><h1>429 Too Many Requests</h1></html>', headers: { 'Content-Type': 'text/html', 'Retry-After': '3' } },
    then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 3000, message: /^Telegram HTTP 429: not a Bot API answer: 429 Too Many Requests$/ },
  },
  {
    when: '429 with neither retry_after nor Retry-After',
    answer: { status: 429, body: '{"ok":false,"error_code":429,"description":"Too Many Requests"}' },
    then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 1000, message: /^Telegram 429: Too Many Requests$/ },
  },
  { when: 'JSON 500', answer: 'internalError', then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Telegram 500: Internal Server Error: restart$/ } },
  { when: "nginx's HTML 502", answer: 'badGatewayHtml', then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Telegram HTTP 502: not a Bot API answer: 502 Bad Gateway/ } },
  {
    when: 'an HTML error page that echoes the request path with the token',
    answer: { status: 503, body: `<html>upstream timed out for POST /bot${FAKE_TELEGRAM_TOKEN}/sendMessage</html>` },
    then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Telegram HTTP 503: not a Bot API answer: upstream timed out for POST \/bot\[redacted\]\/sendMessage$/ },
  },
  {
    when: 'a redirect to another host',
    answer: { status: 301, body: '', headers: { Location: `https://elsewhere.example/bot${FAKE_TELEGRAM_TOKEN}/sendMessage` } },
    then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Telegram HTTP 301: not a Bot API answer: \(empty body\)$/ },
  },
  {
    when: 'a group upgraded to a supergroup',
    answer: { status: 400, body: '{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1009876543210}}' },
    then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Telegram 400: Bad Request: group chat was upgraded to a supergroup chat \(the group became supergroup -1009876543210: update chatId\)$/ },
  },
  { when: 'the connection is refused', answer: 'connectionRefused', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNREFUSED/ } },
  { when: 'the server closes the socket', answer: 'closeSocket', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNRESET: socket hang up$/ } },
  { when: 'the server never answers', answer: 'hang', timeoutMs: 200, then: { error: RetryableDeliveryError, reason: 'timeout', message: /^request timed out: no answer before the delivery timeout$/ } },
];

describe('Telegram channel against the fake Bot API', () => {
  test('when Telegram answers ok, then send resolves with the message id', async () => {
    await expect(send()).resolves.toEqual({ providerMessageId: '1', chatId: String(FAKE_TELEGRAM_CHAT.id) });
    await expect(send()).resolves.toEqual({ providerMessageId: '2', chatId: String(FAKE_TELEGRAM_CHAT.id) });
  });

  test.each(cases)('when the provider answers $when, then send throws the matching delivery error', async (row) => {
    const error = await expectProviderFailure(fake, row, (apiUrl, timeoutMs) => send({ apiUrl }, timeoutMs));

    expectNoSecrets(error, [TOKEN_SECRET]);
  });

  test("when a proxy's 429 gives Retry-After as an HTTP date, then retryAfterMs is the time until that date", async () => {
    // HTTP dates have whole seconds: this one lies 9-10 s ahead.
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 10_000);
    fake.script({ status: 429, body: 'slow down', headers: { 'Retry-After': at.toUTCString() } });

    const error = await failure(send());

    expect(error).toBeInstanceOf(RateLimitedError);
    const { retryAfterMs } = error as RateLimitedError;
    expect(retryAfterMs).toBeGreaterThan(8_000);
    expect(retryAfterMs).toBeLessThanOrEqual(10_000);
  });

  test('when the signal aborts while Telegram is silent, then send throws a retryable timeout', async () => {
    fake.script('hang');
    const controller = new AbortController();
    const sending = failure(send({}, 5000, controller.signal));
    await fake.waitForRequests(1, 2000);
    controller.abort();

    const error = await sending;

    expect(error).toBeInstanceOf(RetryableDeliveryError);
    expect(error).toMatchObject({ reason: 'timeout', message: 'request aborted: ERR_CANCELED: canceled' });
  });
});

describe('Telegram channel request', () => {
  test('when apiUrl has a path prefix and threadId is set, then the fake receives the exact sendMessage request', async () => {
    const proxied = await startFakeTelegram({ pathPrefix: '/proxy/telegram' });
    try {
      await send({ apiUrl: `${proxied.url}/`, threadId: 42, disableNotification: true });

      const [request] = await proxied.waitForRequests(1, 2000);
      expect(request?.method).toBe('POST');
      expect(request?.path).toBe(`/proxy/telegram/bot${FAKE_TELEGRAM_TOKEN}/sendMessage`);
      expect(request?.headers['content-type']).toMatch(/^application\/json/);
      expect(request?.body).toEqual({
        chat_id: '-1001234567890',
        text: '<b>[FIRING]</b> disk &gt; 90% on <code>db-1</code>',
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        message_thread_id: 42,
        disable_notification: true,
      });
    } finally {
      await proxied.close();
    }
  });

  test('when no thread and no silence are configured, then the body leaves those fields out', async () => {
    await send();

    const [request] = await fake.waitForRequests(1, 2000);
    expect(request?.path).toBe(`/bot${FAKE_TELEGRAM_TOKEN}/sendMessage`);
    expect(request?.body).toEqual({ chat_id: '-1001234567890', text: message.text, parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  });

  test('when chatId is a @channelusername, then chat_id is sent as that string', async () => {
    await fake.close();
    fake = await startFakeTelegram({ chats: [{ id: -1001111111111, type: 'channel', username: 'ops_alerts' }] });

    // The receipt names the chat by its numeric id, whatever the config called it.
    await expect(send({ chatId: '@ops_alerts' })).resolves.toEqual({ providerMessageId: '1', chatId: '-1001111111111' });
    expect(fake.requests[0]?.body).toMatchObject({ chat_id: '@ops_alerts' });
  });
});

describe('Telegram channel against the real-server checks of the fake', () => {
  test('when the token is wrong, then send throws a permanent authError without the token', async () => {
    const error = await failure(send({ botToken: '123456789:AAHsomeOtherSecretToken_abcdefghijklmn' }));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'authError', message: 'Telegram 401: Unauthorized' });
  });

  test('when the chat is unknown, then send throws a permanent "chat not found"', async () => {
    const error = await failure(send({ chatId: '-1009999999999' }));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'clientError', message: 'Telegram 400: Bad Request: chat not found' });
  });

  test('when the text has a bare "<", then Telegram refuses the HTML and the same text goes out as plain text, saying why', async () => {
    const channel = createTelegramChannel('ops-telegram', config());

    const receipt = await channel.send({ title: 'x', text: '<b>load</b> 5 < 10 &amp; rising' }, new AbortController().signal);

    expect(receipt).toEqual({
      providerMessageId: '1',
      chatId: String(FAKE_TELEGRAM_CHAT.id),
      fallback: 'Telegram refused the HTML (Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 14); sent as plain text',
    });
    const [html, plain] = fake.requests;
    expect(html!.body).toMatchObject({ parse_mode: 'HTML' });
    expect(plain!.body).not.toHaveProperty('parse_mode');
    expect((plain!.body as { text: string }).text).toBe('load 5 < 10 & rising');
  });

  test('when the plain-text resend is refused too, then send throws the second answer', async () => {
    const channel = createTelegramChannel('ops-telegram', config({ chatId: '-100999' }));

    const error = await failure(channel.send({ title: 'x', text: 'load 5 < 10' }, new AbortController().signal));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toBe('Telegram 400: Bad Request: chat not found');
  });
});

describe('Telegram channel edits (editMessageText)', () => {
  const edit = (messageId: string, text: string) => createTelegramChannel('ops-telegram', config()).edit!(messageId, { title: 'x', text }, AbortSignal.timeout(5000));

  test('when the message exists, then its text changes and the answer says it was edited', async () => {
    await send();
    await expect(edit('1', '<b>[RESOLVED]</b> disk')).resolves.toEqual({ unchanged: false });
    expect(fake.message(1)?.text).toBe('[RESOLVED] disk');
  });

  test('when the text is what the message already shows, then "message is not modified" is a success', async () => {
    await send();
    await expect(edit('1', message.text)).resolves.toEqual({ unchanged: true });
  });

  test.each([
    ['the message was deleted', () => fake.deleteMessage(1), /message to edit not found/],
    ['the message is too old', () => { fake.refuseEditsOlderThan(60); fake.ageMessage(1, 3600); }, /message can't be edited/],
  ])('when %s, then edit throws MessageNotEditableError (send a new one instead)', async (_what, spoil, text) => {
    await send();
    spoil();
    const error = await failure(edit('1', '<b>new</b>'));
    expect(error).toBeInstanceOf(MessageNotEditableError);
    expect(error.message).toMatch(text);
  });

  test('when a send replies to a message, then reply_parameters name it and allow sending without it', async () => {
    await send();
    await createTelegramChannel('ops-telegram', config()).send({ title: 'x', text: 'resolved' }, AbortSignal.timeout(5000), { replyTo: '1' });
    expect(fake.requests[1]!.body).toMatchObject({ reply_parameters: { message_id: 1, allow_sending_without_reply: true } });
    expect(fake.message(2)?.replyTo).toBe(1);
    fake.deleteMessage(1);
    await expect(createTelegramChannel('ops-telegram', config()).send({ title: 'x', text: 'again' }, AbortSignal.timeout(5000), { replyTo: '1' })).resolves.toMatchObject({ providerMessageId: '3' });
  });
});
