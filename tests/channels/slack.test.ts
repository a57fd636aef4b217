import type { SendReceipt } from '../../src/channels/channel';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../../src/channels/delivery-errors';
import type { SlackChannelConfig } from '../../src/channels/slack/config';
import { parseSlackMessageId } from '../../src/channels/slack/message-id';
import { createSlackChannel } from '../../src/channels/slack/notifier';
import type { RenderedMessage } from '../../src/render/rendered-message';
import {
  FAKE_SLACK_BOT_TOKEN, FAKE_SLACK_CHANNEL, FAKE_SLACK_OTHER_CHANNEL, FAKE_SLACK_WEBHOOK_PATH,
  startFakeSlack, type FakeSlack, type FakeSlackAnswer,
} from '../fakes/fake-slack';
import { expectNoSecrets, expectProviderFailure, failure, type ProviderCase } from '../support/channel-test-kit';

const message: RenderedMessage = { title: '[CRITICAL] disk full', text: '🔴 *DiskFull* on db-1\n93% used <https://grafana.example.com/d/x?a=1&amp;b=2|Grafana>', status: 'firing', severity: 'critical', url: 'https://grafana.example.com/d/x?a=1&b=2' };
type Section = { type: string; text: { type: string; text: string } };
const HOOK_SECRET = FAKE_SLACK_WEBHOOK_PATH.split('/').pop()!;

let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack();
});
afterEach(() => fake.close());

type Overrides = Partial<Omit<SlackChannelConfig, 'type'>>;
const webhook = (overrides: Overrides = {}): SlackChannelConfig => ({ type: 'slack', webhookUrl: fake.webhookUrl, apiUrl: 'https://slack.com', ...overrides });
const bot = (overrides: Overrides = {}): SlackChannelConfig => ({ type: 'slack', botToken: FAKE_SLACK_BOT_TOKEN, channel: FAKE_SLACK_CHANNEL.id, apiUrl: fake.url, ...overrides });

function send(config: SlackChannelConfig, msg: RenderedMessage = message, timeoutMs = 5000): Promise<SendReceipt> {
  return createSlackChannel('ops-slack', config).send(msg, AbortSignal.timeout(timeoutMs));
}

describe('Slack incoming webhook against the fake', () => {
  test('when Slack answers ok, then send resolves and the hook got a coloured Block Kit message with a text fallback', async () => {
    await expect(send(webhook())).resolves.toEqual({});

    const [request] = fake.requests;
    expect(request!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request!.body).toEqual({
      text: '[CRITICAL] disk full',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '🔴 *DiskFull* on db-1' } }],
      attachments: [{ color: '#E01E5A', fallback: '[CRITICAL] disk full', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '93% used <https://grafana.example.com/d/x?a=1&amp;b=2|Grafana>' } }] }],
      unfurl_links: false,
      unfurl_media: false,
    });
  });

  const cases: ProviderCase<FakeSlackAnswer>[] = [
    { when: '400 invalid_payload', answer: { webhookError: 'invalid_payload' }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Slack webhook HTTP 400: invalid_payload$/ } },
    { when: '400 no_text', answer: { webhookError: 'no_text' }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Slack webhook HTTP 400: no_text$/ } },
    { when: '403 action_prohibited', answer: { webhookError: 'action_prohibited' }, then: { error: PermanentDeliveryError, reason: 'authError', message: /^Slack webhook HTTP 403: action_prohibited \(a workspace admin restricts/ } },
    { when: '403 invalid_token', answer: { webhookError: 'invalid_token' }, then: { error: PermanentDeliveryError, reason: 'authError', message: /^Slack webhook HTTP 403: invalid_token \(the webhook URL is wrong or was revoked/ } },
    { when: '404 channel_not_found', answer: { webhookError: 'channel_not_found' }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Slack webhook HTTP 404: channel_not_found/ } },
    { when: '404 no_service', answer: { webhookError: 'no_service' }, then: { error: PermanentDeliveryError, reason: 'authError', message: /^Slack webhook HTTP 404: no_service \(the webhook was removed or disabled/ } },
    { when: '410 channel_is_archived', answer: { webhookError: 'channel_is_archived' }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Slack webhook HTTP 410: channel_is_archived \(the channel is archived\)$/ } },
    { when: '500 rollup_error', answer: { webhookError: 'rollup_error' }, then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Slack webhook HTTP 500: rollup_error$/ } },
    { when: '429 with Retry-After', answer: 'throttled', then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 1000, message: /^Slack webhook HTTP 429: rate_limited$/ } },
    { when: '429 with the old counters body and Retry-After: 30', answer: { status: 429, body: '{"ok":false,"count_hour_ago":400,"count_minute_ago":100,"count_second_ago":5}', headers: { 'Retry-After': '30' } }, then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 30_000, message: /^Slack webhook HTTP 429: / } },
    { when: "nginx's HTML 502", answer: 'badGatewayHtml', then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Slack webhook HTTP 502: 502 Bad Gateway/ } },
    { when: 'HTTP 200 that is not "ok"', answer: { status: 200, body: '<html>captive portal</html>' }, then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Slack webhook HTTP 200: captive portal$/ } },
    { when: 'a proxy page echoing the hook URL', answer: { status: 404, body: `<p>POST ${FAKE_SLACK_WEBHOOK_PATH} not found</p>` }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Slack webhook HTTP 404: POST \/services\/\[redacted\] not found$/ } },
    { when: 'the connection is refused', answer: 'connectionRefused', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNREFUSED/ } },
    { when: 'the server closes the socket', answer: 'closeSocket', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNRESET/ } },
    { when: 'the server never answers', answer: 'hang', timeoutMs: 200, then: { error: RetryableDeliveryError, reason: 'timeout', message: /^request timed out/ } },
  ];

  test.each(cases)('when the hook answers $when, then send throws the matching delivery error without the hook secret', async (row) => {
    const error = await expectProviderFailure(fake, row, (apiUrl, timeoutMs) => send(webhook({ webhookUrl: `${apiUrl}${FAKE_SLACK_WEBHOOK_PATH}` }), message, timeoutMs));
    expectNoSecrets(error, [HOOK_SECRET]);
  });

  test('when the hook URL has a wrong secret, then the real check answers 403 invalid_token, permanent', async () => {
    const wrong = fake.webhookUrl.replace(HOOK_SECRET, 'NotTheRightSecret1234567');
    const error = await failure(send(webhook({ webhookUrl: wrong })));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toMatch(/^Slack webhook HTTP 403: invalid_token/);
    expectNoSecrets(error, ['NotTheRightSecret1234567']);
  });

  test('when the hook is sent more than it takes in a second, then it answers 429 and the channel says how long to wait', async () => {
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => send(webhook())));
    const throttled = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as unknown);
    expect(throttled.length).toBeGreaterThan(0);
    for (const error of throttled) expect(error).toMatchObject({ name: 'RateLimitedError', retryAfterMs: 1000 });
  });
});

describe('Slack Web API chat.postMessage against the fake', () => {
  test('when Slack answers ok, then send returns "<channel>:<ts>" and the request carried the token in the header only', async () => {
    const receipt = await send(bot({ channel: `#${FAKE_SLACK_CHANNEL.name}` }));

    const [post] = fake.posted;
    expect(receipt).toEqual({ providerMessageId: `${FAKE_SLACK_CHANNEL.id}:${post!.ts}` });
    expect(parseSlackMessageId(receipt.providerMessageId!)).toEqual({ channel: FAKE_SLACK_CHANNEL.id, ts: post!.ts });
    expect(post!.request.headers.authorization).toBe(`Bearer ${FAKE_SLACK_BOT_TOKEN}`);
    expect(post!.request.path).toBe('/api/chat.postMessage');
    expect(post!.request.raw).not.toContain(FAKE_SLACK_BOT_TOKEN);
    expect(post!.request.body).toMatchObject({ channel: '#alerts', text: '[CRITICAL] disk full', attachments: [{ color: '#E01E5A' }] });
  });

  test('when the bot is not in the channel, then the real check answers not_in_channel, permanent, with what to do', async () => {
    const error = await failure(send(bot({ channel: FAKE_SLACK_OTHER_CHANNEL.id })));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'clientError', message: 'Slack chat.postMessage: not_in_channel (invite the app to the channel (/invite @app), or add the chat:write.public scope)' });
  });

  test('when the token is wrong, then the real check answers invalid_auth, permanent, token hidden', async () => {
    const wrong = 'xoxb-9999999999999-9999999999999-wrongwrongwrongwrongwrong';
    const error = await failure(send(bot({ botToken: wrong })));
    expect(error).toMatchObject({ name: 'PermanentDeliveryError', reason: 'authError', message: 'Slack chat.postMessage: invalid_auth (the bot token is wrong)' });
    expectNoSecrets(error, [wrong, FAKE_SLACK_BOT_TOKEN]);
  });

  const api = (error: string) => ({ apiError: error });
  const cases: ProviderCase<FakeSlackAnswer>[] = [
    { when: 'channel_not_found', answer: api('channel_not_found'), then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Slack chat\.postMessage: channel_not_found \(check the channel ID/ } },
    { when: 'token_revoked', answer: api('token_revoked'), then: { error: PermanentDeliveryError, reason: 'authError', message: /^Slack chat\.postMessage: token_revoked \(the bot token was revoked: reinstall the app\)$/ } },
    { when: 'missing_scope', answer: { status: 200, body: '{"ok":false,"error":"missing_scope","needed":"chat:write","provided":"channels:read"}' }, then: { error: PermanentDeliveryError, reason: 'authError', message: /^Slack chat\.postMessage: missing_scope: needed scope: chat:write$/ } },
    { when: 'is_archived', answer: api('is_archived'), then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Slack chat\.postMessage: is_archived/ } },
    { when: 'msg_too_long', answer: api('msg_too_long'), then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Slack chat\.postMessage: msg_too_long$/ } },
    // invalid_blocks is re-sent as plain text: tests/channels/slack-edit.test.ts.
    { when: 'msg_blocks_too_long', answer: api('msg_blocks_too_long'), then: { error: PermanentDeliveryError, reason: 'clientError', message: /^Slack chat\.postMessage: msg_blocks_too_long$/ } },
    { when: '429 ratelimited with Retry-After', answer: 'throttled', then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 1000, message: /^Slack chat\.postMessage: ratelimited$/ } },
    { when: '429 with Retry-After: 12', answer: { status: 429, body: '{"ok":false,"error":"ratelimited"}', headers: { 'Retry-After': '12' } }, then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 12_000, message: /^Slack chat\.postMessage: ratelimited$/ } },
    { when: 'the older 200 rate_limited', answer: api('rate_limited'), then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 1000, message: /^Slack chat\.postMessage: rate_limited$/ } },
    { when: 'message_limit_exceeded', answer: api('message_limit_exceeded'), then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 15 * 60_000, message: /^Slack chat\.postMessage: message_limit_exceeded$/ } },
    { when: 'internal_error', answer: api('internal_error'), then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Slack chat\.postMessage: internal_error$/ } },
    { when: 'service_unavailable', answer: api('service_unavailable'), then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Slack chat\.postMessage: service_unavailable$/ } },
    { when: "nginx's HTML 502", answer: 'badGatewayHtml', then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Slack chat\.postMessage HTTP 502: not a Web API answer: 502 Bad Gateway/ } },
    { when: 'HTTP 200 that is not JSON', answer: { status: 200, body: 'OK' }, then: { error: RetryableDeliveryError, reason: 'serverError', message: /^Slack chat\.postMessage HTTP 200: not a Web API answer: OK$/ } },
    { when: 'a proxy page echoing the Authorization header', answer: { status: 401, body: `<p>Authorization: Bearer ${FAKE_SLACK_BOT_TOKEN}</p>` }, then: { error: PermanentDeliveryError, reason: 'authError', message: /^Slack chat\.postMessage HTTP 401: not a Web API answer: Authorization: Bearer \[redacted\]$/ } },
    { when: 'the connection is refused', answer: 'connectionRefused', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNREFUSED/ } },
    { when: 'the server never answers', answer: 'hang', timeoutMs: 200, then: { error: RetryableDeliveryError, reason: 'timeout', message: /^request timed out/ } },
  ];

  test.each(cases)('when Slack answers $when, then send throws the matching delivery error without the token', async (row) => {
    const error = await expectProviderFailure(fake, row, (apiUrl, timeoutMs) => send(bot({ apiUrl }), message, timeoutMs));
    expectNoSecrets(error, [FAKE_SLACK_BOT_TOKEN]);
  });
});

describe('Slack preview and limits', () => {
  test('when a dry run previews the webhook channel, then the URL hides the hook secret and the body is what send posts', async () => {
    const channel = createSlackChannel('ops-slack', webhook());
    const preview = channel.preview(message);
    expect(preview.url).toBe(`${fake.url}/services/[redacted]`);
    await channel.send(message, AbortSignal.timeout(5000));
    expect(fake.requests[0]!.body).toEqual(preview.body);
  });

  test('when a dry run previews the bot channel, then it shows the endpoint and the body, and no token', () => {
    const preview = createSlackChannel('ops-slack', bot()).preview(message);
    expect(preview).toMatchObject({ method: 'POST', url: `${fake.url}/api/chat.postMessage`, body: { channel: FAKE_SLACK_CHANNEL.id } });
    expect(JSON.stringify(preview)).not.toContain(FAKE_SLACK_BOT_TOKEN);
  });

  test('when the message is longer than a section, then Slack accepts it split into sections, cut near 4000 characters', async () => {
    const line = `${'x'.repeat(99)}\n`;
    await send(bot(), { ...message, text: `headline\n${line.repeat(60)}` });
    const { blocks, attachments } = fake.posted[0]!.request.body as { blocks: Section[]; attachments: Array<{ blocks: Section[] }> };
    expect(blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'headline' } }]);
    const texts = attachments[0]!.blocks.map((b) => b.text.text);
    expect(texts.length).toBe(2);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
    expect(texts.join('\n').length).toBeLessThanOrEqual(4000);
    expect(texts.at(-1)!.endsWith('…')).toBe(true);
  });

  test.each([
    ['an entity', `${'y'.repeat(3988)}&amp; more`, 3988],
    ['a link', `${'y'.repeat(3980)} <https://example.com/a|a link> more`, 3980],
  ])('when the text would be cut inside %s, then the cut falls before it', async (_what, details, kept) => {
    await send(webhook(), { ...message, text: `headline\n${details}` });
    const { attachments } = fake.requests[0]!.body as { attachments: Array<{ blocks: Section[] }> };
    expect(attachments[0]!.blocks.map((b) => b.text.text).join('')).toBe(`${'y'.repeat(kept)}…`);
  });

  test('when the message is a single line, then it is sent as one section with the fallback, and no empty attachment', async () => {
    await send(webhook(), { ...message, text: 'just one line' });
    expect(fake.requests[0]!.body).toEqual({ text: '[CRITICAL] disk full', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'just one line' } }], unfurl_links: false, unfurl_media: false });
  });

  test('when the title holds <, > and &, then the fallback escapes them as mrkdwn wants', async () => {
    await send(webhook(), { ...message, title: '[ERROR] a < b && c > <!channel>' });
    expect((fake.requests[0]!.body as { text: string }).text).toBe('[ERROR] a &lt; b &amp;&amp; c &gt; &lt;!channel&gt;');
  });

  test('when resolved, then the attachment is green; a warning is orange', async () => {
    await send(webhook(), { ...message, status: 'resolved' });
    await send(webhook(), { ...message, severity: 'warning' });
    const colors = fake.requests.map((r) => (r.body as { attachments: Array<{ color: string }> }).attachments[0]!.color);
    expect(colors).toEqual(['#2EB67D', '#F2952F']);
  });
});
