import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { FAKE_SLACK_BOT_TOKEN, FAKE_SLACK_CHANNEL, startFakeSlack, type FakeRequest, type FakeSlack } from '../fakes/fake-slack';
import { startHarness, type Harness } from '../support/gateway-harness';
import { oneAlert } from '../support/one-alert';
import { waitFor } from '../support/wait-for';

const fixture = <T>(name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as T;

/** The same Sentry issue seen again: a new event id each time, as Sentry sends a storm. */
function eventAlert(n: number) {
  const body = fixture<{ data: { event: { event_id: string } } }>('sentry-event-alert.json');
  body.data.event.event_id = `${n.toString(16).padStart(8, '0')}${'0'.repeat(24)}`;
  return body;
}

let slack: FakeSlack;
let gw: Harness | undefined;
beforeEach(async () => {
  slack = await startFakeSlack();
});
afterEach(async () => {
  // The gateway first, so nothing it still delivers meets a closed port.
  await gw?.stop();
  gw = undefined;
  await slack.close();
});

const botChannel = () => ({ type: 'slack', apiUrl: slack.url, botToken: FAKE_SLACK_BOT_TOKEN, channel: FAKE_SLACK_CHANNEL.id });
const start = async (extra: Record<string, unknown> = {}, channel: Record<string, unknown> = botChannel()) =>
  (gw = await startHarness({ dedup: { window: '5m' }, ...extra, channels: { ops: channel } }, 'slack-life'));
const postAlert = (status: 'firing' | 'resolved') => request(gw!.url).post('/webhook/alertmanager').send(oneAlert(status)).expect(202);

const method = (r: FakeRequest) => r.path.replace(/^\/api\//, '');
const idOf = (ts: string | undefined) => `${FAKE_SLACK_CHANNEL.id}:${ts}`;
/** Everything the message shows: its sections and its attachment's, as one text. */
const shown = (id: string) => {
  const message = slack.message(id) as { text?: string; blocks?: Array<{ text: { text: string } }>; attachments?: Array<{ blocks: Array<{ text: { text: string } }> }> } | undefined;
  if (!message) return '';
  const sections = [...(message.blocks ?? []), ...(message.attachments ?? []).flatMap((a) => a.blocks)];
  return sections.length > 0 ? sections.map((s) => s.text.text).join('\n') : (message.text ?? '');
};

describe('one living Slack message per incident (bot token)', () => {
  it('when 20 events of one issue arrive inside the window, then one chat.postMessage is sent and a few chat.update calls follow, ending with the count 20', async () => {
    await start({ dedup: { window: '4s' }, lifecycle: { editInterval: '1s' } });
    for (let i = 0; i < 20; i++) await request(gw!.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'event_alert').send(eventAlert(i)).expect(202);
    const first = await slack.waitForRequests(1);
    const id = idOf(slack.posted[0]?.ts);
    await waitFor(() => /20 notifications/.test(shown(id)) || undefined, 'the message to show 20 notifications', 15_000);
    await waitFor(async () => (await request(gw!.url).get('/metrics')).text.match(/queue_jobs\{queue="deliver.ops",state="delayed"\} 0/) ?? undefined, 'no edit left to run', 15_000);

    expect(method(first[0]!)).toBe('chat.postMessage');
    expect(slack.requests.filter((r) => method(r) === 'chat.postMessage')).toHaveLength(1);
    expect(slack.updated.length).toBeGreaterThanOrEqual(1);
    expect(slack.updated.length).toBeLessThanOrEqual(4 / 1 + 1);
    for (const update of slack.updated) expect(idOf(update.ts)).toBe(id);
    expect(shown(id)).toMatch(/🔁 20 notifications, last /);
    expect((await request(gw!.url).get('/metrics')).text).toMatch(/notification_gateway_edits_total\{channel="ops",outcome="edited"\} [1-5]/);
  });

  it('when an alert fires and resolves, then the first message is updated to ✅ with its duration and one reply is posted in its thread', async () => {
    await start();
    await postAlert('firing');
    await slack.waitForRequests(1);
    await postAlert('resolved');
    const all = await slack.waitForRequests(3);
    await gw!.waitForLog(/ -> ops edited /);

    expect(all.map(method)).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
    const firstTs = slack.posted[0]!.ts!;
    expect(all[1]!.body).toMatchObject({ channel: FAKE_SLACK_CHANNEL.id, ts: firstTs, attachments: [{ color: '#2EB67D' }] });
    expect(shown(idOf(firstTs))).toMatch(/^✅ \*orders-api p99 latency above 2s\*\n\*RESOLVED\* · critical[\s\S]*⏱ lasted 42 min/);
    expect(all[2]!.body).toMatchObject({ thread_ts: firstTs, reply_broadcast: false });
    expect(slack.message(idOf(firstTs))!.replies).toEqual([slack.posted[1]!.ts]);
    expect(shown(idOf(slack.posted[1]!.ts))).toMatch(/^✅ \*RESOLVED\* · orders-api p99 latency above 2s\nfired 2025-11-18 09:58:47 UTC · lasted 42 min/);
  });

  it('when the message was deleted, then chat.update answers message_not_found and the resolved state is posted as a new message', async () => {
    await start();
    await postAlert('firing');
    await slack.waitForRequests(1);
    const firstId = idOf(slack.posted[0]!.ts);
    slack.deleteMessage(firstId);
    await postAlert('resolved');
    await gw!.waitForLog(new RegExp(`could not edit message ${firstId} \\(Slack chat.update: message_not_found\\); sent a new one`));

    expect(slack.requests.map(method)).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
    const replacement = slack.posted[1]!;
    expect(replacement.request.body).not.toHaveProperty('thread_ts');
    expect(shown(idOf(replacement.ts))).toMatch(/^✅ \*orders-api p99 latency above 2s\*\n\*RESOLVED\*/);
    expect((await request(gw!.url).get('/metrics')).text).toMatch(/edits_total\{channel="ops",outcome="replaced"\} 1/);
  });

  it('when Slack refuses the blocks (invalid_blocks), then the same content is re-sent as plain text, delivered, with a warn line saying why', async () => {
    slack.refuseBlocks();
    await start();
    await postAlert('firing');
    const [blocks, plain] = await slack.waitForRequests(2);
    await gw!.waitForLog(/warn .*ops: formatting fallback .*Slack refused the blocks \(invalid_blocks: \[ERROR\] failed to match all allowed schemas/);
    await gw!.waitForLog(/ -> ops sent /);

    expect(blocks!.body).toHaveProperty('blocks');
    expect(plain!.body).not.toHaveProperty('blocks');
    expect(plain!.body).not.toHaveProperty('attachments');
    expect(String((plain!.body as { text: string }).text)).toMatch(/^🔴 \*orders-api p99 latency above 2s\*\n[\s\S]*FIRING/);
    expect(slack.posted).toHaveLength(1);
    expect(slack.requests).toHaveLength(2);
  });
});

describe('a Slack incoming webhook is a robot: it cannot edit', () => {
  it('when an alert fires and resolves, then the resolution is a follow-up naming the original, and nothing is updated', async () => {
    await start({}, { type: 'slack', webhookUrl: slack.webhookUrl });
    await postAlert('firing');
    await slack.waitForRequests(1);
    await postAlert('resolved');
    const [, followUp] = await slack.waitForRequests(2);
    await waitFor(() => gw!.logs.filter((line) => / -> ops sent /.test(line)).length === 2 || undefined, 'two sent lines');

    expect(slack.requests.every((r) => r.path.startsWith('/services/'))).toBe(true);
    expect(slack.updated).toHaveLength(0);
    const body = followUp!.body as { blocks: Array<{ text: { text: string } }>; thread_ts?: string };
    expect(body.blocks[0]!.text.text).toBe('✅ *RESOLVED* · orders-api p99 latency above 2s');
    expect(JSON.stringify(body)).toContain('fired 2025-11-18 09:58:47 UTC · lasted 42 min');
    expect(body.thread_ts).toBeUndefined();
  });
});
