import type { Channel } from '../../src/channels/channel';
import { PermanentDeliveryError, RateLimitedError } from '../../src/channels/delivery-errors';
import { MessageNotEditableError } from '../../src/channels/edit-errors';
import type { SlackChannelConfig } from '../../src/channels/slack/config';
import { createSlackChannel } from '../../src/channels/slack/notifier';
import type { RenderedMessage } from '../../src/render/rendered-message';
import { FAKE_SLACK_BOT_TOKEN, FAKE_SLACK_CHANNEL, startFakeSlack, type FakeSlack } from '../fakes/fake-slack';
import { failure } from '../support/channel-test-kit';

const firing: RenderedMessage = { title: '[CRITICAL] disk full', text: '🔴 *DiskFull* on db-1\n93% used <https://grafana.example.com/d/x|Grafana>', status: 'firing', severity: 'critical' };
const resolved: RenderedMessage = { ...firing, text: '✅ *DiskFull* on db-1\n⏱ lasted 42 min', status: 'resolved' };

let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack();
});
afterEach(() => fake.close());

const bot = (overrides: Partial<SlackChannelConfig> = {}): Channel =>
  createSlackChannel('ops-slack', { type: 'slack', botToken: FAKE_SLACK_BOT_TOKEN, channel: FAKE_SLACK_CHANNEL.id, apiUrl: fake.url, ...overrides });
const signal = () => AbortSignal.timeout(5000);
const shownText = (id: string) => JSON.stringify(fake.message(id));

describe('Slack bot: chat.update', () => {
  test('when the posted message is edited, then chat.update names its channel and ts, carries the same Block Kit, and the channel shows the new state', async () => {
    const channel = bot();
    const { providerMessageId } = await channel.send(firing, signal());
    await expect(channel.edit!(providerMessageId!, resolved, signal())).resolves.toEqual({ unchanged: false });

    const [update] = fake.updated;
    const ts = providerMessageId!.split(':')[1];
    expect(update!.request.path).toBe('/api/chat.update');
    expect(update!.request.headers.authorization).toBe(`Bearer ${FAKE_SLACK_BOT_TOKEN}`);
    expect(update!.request.body).toMatchObject({ channel: FAKE_SLACK_CHANNEL.id, ts, text: '[CRITICAL] disk full', attachments: [{ color: '#2EB67D' }] });
    expect(shownText(providerMessageId!)).toContain('lasted 42 min');
    expect(fake.posted).toHaveLength(1);
  });

  test('when a bot channel configured by name edits, then chat.update uses the channel ID Slack answered (it takes no name)', async () => {
    const channel = bot({ channel: `#${FAKE_SLACK_CHANNEL.name}` });
    const { providerMessageId } = await channel.send(firing, signal());
    await channel.edit!(providerMessageId!, resolved, signal());
    expect(fake.updated[0]!.channel).toBe(FAKE_SLACK_CHANNEL.id);
  });

  test('when the same state is sent again, then Slack says ok (it has no "not modified") and the edit counts as done', async () => {
    const channel = bot();
    const { providerMessageId } = await channel.send(firing, signal());
    await expect(channel.edit!(providerMessageId!, firing, signal())).resolves.toEqual({ unchanged: false });
  });

  test('when the message was deleted, then the real check answers message_not_found and edit throws MessageNotEditableError', async () => {
    const channel = bot();
    const { providerMessageId } = await channel.send(firing, signal());
    fake.deleteMessage(providerMessageId!);
    const error = await failure(channel.edit!(providerMessageId!, resolved, signal()));
    expect(error).toBeInstanceOf(MessageNotEditableError);
    expect(error.message).toBe('Slack chat.update: message_not_found');
  });

  test.each(['cant_update_message', 'edit_window_closed'])('when Slack answers %s, then edit throws MessageNotEditableError (the lifecycle posts a new message)', async (word) => {
    const channel = bot();
    const { providerMessageId } = await channel.send(firing, signal());
    fake.script({ apiError: word });
    const error = await failure(channel.edit!(providerMessageId!, resolved, signal()));
    expect(error).toBeInstanceOf(MessageNotEditableError);
    expect(error.message).toBe(`Slack chat.update: ${word}`);
  });

  test('when chat.update is throttled or the token is wrong, then that is no reason for a new message: the usual delivery errors', async () => {
    const channel = bot();
    const { providerMessageId } = await channel.send(firing, signal());
    fake.script('throttled', { apiError: 'invalid_auth' });
    const throttled = await failure(channel.edit!(providerMessageId!, resolved, signal()));
    expect(throttled).toBeInstanceOf(RateLimitedError);
    const auth = await failure(channel.edit!(providerMessageId!, resolved, signal()));
    expect(auth).toBeInstanceOf(PermanentDeliveryError);
    expect(auth).not.toBeInstanceOf(MessageNotEditableError);
    expect(auth).toMatchObject({ reason: 'authError', message: 'Slack chat.update: invalid_auth (the bot token is wrong)' });
  });

  test('when the message id is not "<channel>:<ts>" (a message from before the Web API), then edit throws MessageNotEditableError without calling Slack', async () => {
    const error = await failure(bot().edit!('42', resolved, signal()));
    expect(error).toBeInstanceOf(MessageNotEditableError);
    expect(fake.requests).toHaveLength(0);
  });

  test('when the channel is an incoming webhook, then it has no edit (the lifecycle treats it as a robot)', () => {
    const channel = createSlackChannel('ops-slack', { type: 'slack', webhookUrl: fake.webhookUrl, apiUrl: 'https://slack.com' });
    expect(channel.edit).toBeUndefined();
  });
});

describe('Slack bot: thread replies', () => {
  test('when a send replies to the first message, then it posts in its thread (thread_ts = its ts, not broadcast)', async () => {
    const channel = bot();
    const first = await channel.send(firing, signal());
    const reply = await channel.send(resolved, signal(), { replyTo: first.providerMessageId! });

    const [, posted] = fake.posted;
    const ts = first.providerMessageId!.split(':')[1];
    expect(posted!.request.body).toMatchObject({ channel: FAKE_SLACK_CHANNEL.id, thread_ts: ts, reply_broadcast: false });
    expect(fake.message(first.providerMessageId!)!.replies).toEqual([reply.providerMessageId!.split(':')[1]]);
    expect(posted!.lost).toBeUndefined();
  });

  test('when the channel is configured by name, then a reply to its own message goes into the thread too', async () => {
    const channel = bot({ channel: FAKE_SLACK_CHANNEL.name });
    const first = await channel.send(firing, signal());
    await channel.send(resolved, signal(), { replyTo: first.providerMessageId! });
    expect(fake.message(first.providerMessageId!)!.replies).toHaveLength(1);
  });

  test('when a channel configured by name replies before its first post (just restarted), then it cannot prove the parent is its own and posts at the top level', async () => {
    const first = await bot({ channel: FAKE_SLACK_CHANNEL.name }).send(firing, signal());
    const restarted = bot({ channel: FAKE_SLACK_CHANNEL.name });
    await restarted.send(resolved, signal(), { replyTo: first.providerMessageId! });
    expect(fake.posted[1]!.request.body).not.toHaveProperty('thread_ts');
  });

  test('when replyTo names a message in another channel (the config moved), then the reply posts at the top level, where it shows', async () => {
    const channel = bot();
    await channel.send(resolved, signal(), { replyTo: 'C0OLDCHAN1:1763463527.000200' });
    expect(fake.posted[0]!.request.body).not.toHaveProperty('thread_ts');
    expect(fake.posted[0]!.lost).toBeUndefined();
  });

  test('when replyTo is not a Slack message id, then the reply posts at the top level', async () => {
    await bot().send(resolved, signal(), { replyTo: '17' });
    expect(fake.posted[0]!.request.body).not.toHaveProperty('thread_ts');
  });

  test('when a webhook channel is asked to reply, then it posts at the top level (a webhook learns no ts)', async () => {
    const channel = createSlackChannel('ops-slack', { type: 'slack', webhookUrl: fake.webhookUrl, apiUrl: 'https://slack.com' });
    await channel.send(resolved, signal(), { replyTo: `${FAKE_SLACK_CHANNEL.id}:1763463527.000200` });
    expect(fake.requests[0]!.body).not.toHaveProperty('thread_ts');
  });
});

describe('Slack formatting fallback', () => {
  test('when Slack refuses the blocks of a post, then the same content goes out once more as text only, delivered, and the receipt says why', async () => {
    fake.refuseBlocks();
    const receipt = await bot().send({ ...firing, mentions: { people: [{ name: 'Lena', slack: 'U024BE7LH' }], all: false } }, signal());

    expect(fake.requests).toHaveLength(2);
    const plain = fake.requests[1]!.body as Record<string, unknown>;
    expect(plain).not.toHaveProperty('blocks');
    expect(plain).not.toHaveProperty('attachments');
    expect(plain).toMatchObject({ channel: FAKE_SLACK_CHANNEL.id, text: '🔴 *DiskFull* on db-1\n<@U024BE7LH>\n93% used <https://grafana.example.com/d/x|Grafana>', unfurl_links: false });
    expect(receipt.providerMessageId).toBe(`${FAKE_SLACK_CHANNEL.id}:${fake.posted[0]!.ts}`);
    expect(receipt.fallback).toBe('Slack refused the blocks (invalid_blocks: [ERROR] failed to match all allowed schemas [json-pointer:/blocks/0/text]); sent as plain text');
  });

  test('when Slack refuses the blocks of an edit, then chat.update is repeated as text only and the edit receipt says why', async () => {
    const channel = bot();
    const { providerMessageId } = await channel.send(firing, signal());
    fake.refuseBlocks();
    const receipt = await channel.edit!(providerMessageId!, resolved, signal());
    expect(receipt).toMatchObject({ unchanged: false, fallback: expect.stringMatching(/^Slack refused the blocks \(invalid_blocks/) });
    expect(fake.updated).toHaveLength(1);
    expect(fake.updated[0]!.request.body).toEqual({ channel: FAKE_SLACK_CHANNEL.id, ts: providerMessageId!.split(':')[1], text: resolved.text });
    expect(fake.message(providerMessageId!)).toMatchObject({ text: resolved.text });
  });

  test('when Slack refuses the attachments of a thread reply, then the plain resend stays in the thread', async () => {
    const channel = bot();
    const first = await channel.send(firing, signal());
    fake.script({ apiError: 'invalid_attachments' });
    const receipt = await channel.send(resolved, signal(), { replyTo: first.providerMessageId! });
    expect(receipt.fallback).toBe('Slack refused the blocks (invalid_attachments); sent as plain text');
    expect(fake.requests.at(-1)!.body).toMatchObject({ thread_ts: first.providerMessageId!.split(':')[1] });
    expect(fake.message(first.providerMessageId!)!.replies).toHaveLength(1);
  });

  test('when an incoming webhook answers 400 invalid_blocks, then it is re-sent as text only too', async () => {
    fake.refuseBlocks();
    const channel = createSlackChannel('ops-slack', { type: 'slack', webhookUrl: fake.webhookUrl, apiUrl: 'https://slack.com' });
    const receipt = await channel.send(firing, signal());
    expect(receipt).toEqual({ fallback: 'Slack refused the blocks (invalid_blocks); sent as plain text' });
    expect(fake.posted).toHaveLength(1);
    expect(fake.posted[0]!.request.body).not.toHaveProperty('blocks');
  });

  test('when the plain resend fails as well, then that failure is what the queue sees', async () => {
    fake.refuseBlocks();
    fake.script('ok', { apiError: 'channel_not_found' });
    const error = await failure(bot().send(firing, signal()));
    expect(error).toMatchObject({ name: 'PermanentDeliveryError', message: expect.stringMatching(/^Slack chat\.postMessage: channel_not_found/) });
  });
});
