import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { failureReply } from '../fakes/fake-telegram-bot-api';
import type { FakeTelegramRequest } from '../fakes/fake-telegram';
import { fakeTelegramChannel } from '../support/fake-telegram-channel';
import { oneAlert } from '../support/one-alert';
import { telegramGatewayPerTest } from '../support/telegram-gateway-per-test';
import { waitFor } from '../support/wait-for';

const fixture = <T>(name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as T;

/** The same Sentry issue seen again: a new event id each time, as Sentry sends a storm. */
function eventAlert(n: number) {
  const body = fixture<{ data: { event: { event_id: string } } }>('sentry-event-alert.json');
  body.data.event.event_id = `${n.toString(16).padStart(8, '0')}${'0'.repeat(24)}`;
  return body;
}

function issue(action: 'created' | 'resolved' | 'unresolved' | 'assigned' | 'archived') {
  const file = action === 'unresolved' ? 'sentry-issue-created.json' : `sentry-issue-${action}.json`;
  const body = fixture<{ action: string; data: { issue: { status: string; lastSeen: string } } }>(file);
  body.action = action;
  // A regression is a later event of the issue than its resolution.
  if (action === 'unresolved') Object.assign(body.data.issue, { status: 'unresolved', lastSeen: '2025-11-18T12:30:00.000Z' });
  return body;
}

const NOT_MODIFIED = 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
const method = (r: FakeTelegramRequest) => r.path.split('/').pop()!.toLowerCase();
const sends = (requests: readonly FakeTelegramRequest[]) => requests.filter((r) => method(r) === 'sendmessage');
const edits = (requests: readonly FakeTelegramRequest[]) => requests.filter((r) => method(r) === 'editmessagetext');
const replyTarget = (r: FakeTelegramRequest | undefined) => (r?.body as { reply_parameters?: { message_id?: number } } | undefined)?.reply_parameters?.message_id;

describe('one living Telegram message per incident', () => {
  const suite = telegramGatewayPerTest();
  const start = (extra: Record<string, unknown> = {}, channel: Record<string, unknown> = {}) =>
    suite.startGateway({ dedup: { window: '5m' }, ...extra, channels: { ops: { ...fakeTelegramChannel(suite.tg), ...channel } } }, 'lifecycle');
  const postSentry = (gwUrl: string, resource: string, body: object) => request(gwUrl).post('/webhook/sentry').set('Sentry-Hook-Resource', resource).send(body).expect(202);

  it('when 20 events of one issue arrive inside the window, then one message is sent and edited at most window/editInterval + 1 times, ending with the count 20', async () => {
    const { tg } = suite;
    const gw = await start({ dedup: { window: '4s' }, lifecycle: { editInterval: '1s' } });
    for (let i = 0; i < 20; i++) await postSentry(gw.url, 'event_alert', eventAlert(i));
    await waitFor(() => /20 notifications/.test(tg.message(1)?.text ?? '') || undefined, 'the message to show 20 notifications', 15_000);
    // The window ends; nothing else (no digest) arrives after it.
    await gw.waitForLog(/ -> ops edited .*PricingError/);
    await waitFor(async () => (await request(gw.url).get('/metrics')).text.match(/queue_jobs\{queue="deliver.ops",state="delayed"\} 0/) ?? undefined, 'no edit left to run', 15_000);
    expect(sends(tg.requests)).toHaveLength(1);
    expect(edits(tg.requests).length).toBeGreaterThanOrEqual(1);
    expect(edits(tg.requests).length).toBeLessThanOrEqual(4 / 1 + 1);
    expect(tg.messages()).toHaveLength(1);
    const metrics = await request(gw.url).get('/metrics');
    expect(metrics.text).toMatch(/notification_gateway_edits_total\{channel="ops",outcome="edited"\} [1-5]/);
  });

  it('when an alert fires and resolves, then the first message is edited to ✅ with its duration and one reply to it is posted', async () => {
    const { tg } = suite;
    const gw = await start();
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('firing')).expect(202);
    await tg.waitForRequests(1);
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('resolved')).expect(202);
    const all = await tg.waitForRequests(3);
    expect(all.map(method)).toEqual(['sendmessage', 'editmessagetext', 'sendmessage']);
    expect((all[1]!.body as { message_id: number }).message_id).toBe(1);
    expect(tg.message(1)!.text).toMatch(/^✅ RESOLVED[\s\S]*⏱ lasted 42 min/);
    expect(replyTarget(all[2])).toBe(1);
    expect(tg.message(2)!.replyTo).toBe(1);
    expect(tg.message(2)!.text).toMatch(/^✅ RESOLVED · /);
  });

  it('when lifecycle.resolved is edit, then resolving edits the first message and posts nothing', async () => {
    const { tg } = suite;
    const gw = await start({ lifecycle: { resolved: 'edit' } });
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('firing')).expect(202);
    await tg.waitForRequests(1);
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('resolved')).expect(202);
    await gw.waitForLog(/ -> ops edited /);
    expect(tg.requests.map(method)).toEqual(['sendmessage', 'editmessagetext']);
    expect(tg.message(1)!.text).toMatch(/^✅ RESOLVED/);
  });

  it('when lifecycle.resolved is edit at the top level but reply on the channel, then resolving only replies to the first message', async () => {
    const { tg } = suite;
    const gw = await start({ lifecycle: { resolved: 'edit' } }, { lifecycle: { resolved: 'reply' } });
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('firing')).expect(202);
    await tg.waitForRequests(1);
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('resolved')).expect(202);
    await tg.waitForRequests(2);
    await waitFor(() => gw.logs.filter((line) => / -> ops sent /.test(line)).length === 2 || undefined, 'the reply logged as sent');
    // The channel's own setting wins over the top-level one.
    expect(tg.requests.map(method)).toEqual(['sendmessage', 'sendmessage']);
    expect(replyTarget(tg.requests[1])).toBe(1);
  });

  it('when an issue resolved earlier fires again, then the new message replies to the old one', async () => {
    const { tg } = suite;
    const gw = await start();
    await postSentry(gw.url, 'issue', issue('created'));
    await tg.waitForRequests(1);
    await postSentry(gw.url, 'issue', issue('resolved'));
    await tg.waitForRequests(3);
    await postSentry(gw.url, 'issue', issue('unresolved'));
    const all = await tg.waitForRequests(4);
    expect(all.map(method)).toEqual(['sendmessage', 'editmessagetext', 'sendmessage', 'sendmessage']);
    expect(replyTarget(all[3])).toBe(1);
    expect(tg.message(3)!.text).not.toMatch(/RESOLVED/);
  });

  it('when a Sentry issue is assigned, then its message is edited to show the assignee and nothing new is posted', async () => {
    const { tg } = suite;
    // Inside the dedup window the assignment is one more edit, paced like the repeats' edits.
    const gw = await start({ lifecycle: { editInterval: '1s' } });
    await postSentry(gw.url, 'issue', issue('created'));
    await tg.waitForRequests(1);
    await postSentry(gw.url, 'issue', issue('assigned'));
    await tg.waitForRequests(2);
    await gw.waitForLog(/ -> ops edited /);
    expect(tg.requests.map(method)).toEqual(['sendmessage', 'editmessagetext']);
    expect(tg.message(1)!.text).toContain('👤 assigned to Lena Fischer');
  });

  it('when a Sentry issue is archived, then its message is edited to say so and nothing new is posted', async () => {
    const { tg } = suite;
    const gw = await start();
    await postSentry(gw.url, 'issue', issue('created'));
    await tg.waitForRequests(1);
    await postSentry(gw.url, 'issue', issue('archived'));
    await tg.waitForRequests(2);
    await gw.waitForLog(/ -> ops edited /);
    expect(tg.requests.map(method)).toEqual(['sendmessage', 'editmessagetext']);
    expect(tg.message(1)!.text).toContain('🗄 archived in Sentry');
  });

  it.each([
    ['the message was deleted ("message to edit not found")', (tg: typeof suite.tg) => tg.deleteMessage(1), {}],
    ["the message is too old (\"message can't be edited\")", (tg: typeof suite.tg) => {
      // TDLib refuses some old edits; the fake does past two days once told to.
      tg.refuseEditsOlderThan(2 * 24 * 3600);
      tg.ageMessage(1, 3 * 24 * 3600);
    }, {}],
  ])('when %s, then resolving sends a new message instead and nothing is lost', async (_what, spoil) => {
    const { tg } = suite;
    const gw = await start();
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('firing')).expect(202);
    await tg.waitForRequests(1);
    spoil(tg);
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('resolved')).expect(202);
    await gw.waitForLog(/could not edit message 1/);
    await gw.waitForLog(/ -> ops sent .*attempt=1/);
    const all = tg.requests;
    expect(all.map(method).slice(0, 3)).toEqual(['sendmessage', 'editmessagetext', 'sendmessage']);
    expect(tg.message(2)!.text).toMatch(/^✅ RESOLVED/);
    expect((await request(gw.url).get('/metrics')).text).toMatch(/edits_total\{channel="ops",outcome="replaced"\} 1/);
  });

  it('when Telegram answers an edit "message is not modified", then that counts as done: no retry, and the reply follows', async () => {
    const { tg } = suite;
    const gw = await start();
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('firing')).expect(202);
    await tg.waitForRequests(1);
    tg.script(failureReply(400, NOT_MODIFIED));
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('resolved')).expect(202);
    await tg.waitForRequests(3);
    await gw.waitForLog(/ -> ops edited .*attempt=1.*not modified/);
    expect(tg.requests.map(method)).toEqual(['sendmessage', 'editmessagetext', 'sendmessage']);
    expect(gw.logs.some((line) => / -> ops (retrying|failed) /.test(line))).toBe(false);
    expect((await request(gw.url).get('/metrics')).text).toMatch(/edits_total\{channel="ops",outcome="unchanged"\} 1/);
  });

  it('when lifecycle.edit is false on the channel, then every notification is its own message again', async () => {
    const { tg } = suite;
    const gw = await start({}, { lifecycle: { edit: false } });
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('firing')).expect(202);
    await tg.waitForRequests(1);
    await request(gw.url).post('/webhook/alertmanager').send(oneAlert('resolved')).expect(202);
    await tg.waitForRequests(2);
    await waitFor(() => gw.logs.filter((line) => / -> ops sent /.test(line)).length === 2 || undefined, 'two sent lines');
    expect(tg.requests.map(method)).toEqual(['sendmessage', 'sendmessage']);
    expect(replyTarget(tg.requests[1])).toBeUndefined();
  });

  describe('with a template Telegram cannot parse', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ngw-template-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('when Telegram answers "can\'t parse entities", then the same content is re-sent as plain text, delivered, with a warn line saying why', async () => {
      const { tg } = suite;
      const template = join(dir, 'broken.hbs');
      // <div> is not a Telegram tag: the server refuses the whole message.
      writeFileSync(template, '<div>{{title}}</div> <b>{{t "status" status}}</b> &amp; <a href="{{url}}">link</a>');
      const gw = await start({}, { template });
      await request(gw.url).post('/webhook/alertmanager').send(oneAlert('firing')).expect(202);
      const [html, plain] = await tg.waitForRequests(2);
      expect(tg.requests).toHaveLength(2);
      expect(html!.body).toMatchObject({ parse_mode: 'HTML' });
      expect(plain!.body).not.toHaveProperty('parse_mode');
      const text = String((plain!.body as { text: string }).text);
      expect(text).not.toMatch(/<div>|<b>|&amp;/);
      expect(text).toMatch(/FIRING & link \(http/);
      await gw.waitForLog(/warn .*formatting fallback .*can't parse entities: Unsupported start tag "div"/);
      await gw.waitForLog(/ -> ops sent /);
      expect(tg.messages()).toHaveLength(1);
    });
  });
});
