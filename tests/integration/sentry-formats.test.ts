import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { parseTelegramHtml } from '../fakes/telegram-html';
import { startHarness, type Harness } from '../support/gateway-harness';
import { waitFor } from '../support/wait-for';

function fixture(name: string): object {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as object;
}

function telegramConfig(tg: FakeTelegram) {
  return {
    channels: { ops: { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), rateLimit: { max: 100, per: '1s' } } },
  };
}

function textOf(body: unknown): string {
  return String((body as { text?: unknown }).text);
}

/** What the chat shows: the message after Telegram's HTML parsing. */
function shown(html: string): string {
  const parsed = parseTelegramHtml(html);
  if (!parsed.ok) throw new Error(`Telegram would reject the message: ${parsed.error}`);
  return parsed.text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function sentLine(title: string): RegExp {
  return new RegExp(`Sentry -> ops sent ${escapeRegExp(JSON.stringify(title))} attempt=1 `);
}

interface FormatCase {
  payload: string;
  resource: string | undefined;
  fixture: string;
  title: string;
  link: string | undefined;
}

const cases: FormatCase[] = [
  { payload: 'issue created', resource: 'issue', fixture: 'sentry-issue-created.json', title: "KeyError: 'sku'", link: 'https://lumen-retail.sentry.io/issues/6089314527/' },
  // Workflow webhooks for a resolved issue carry no link (docs/payloads.md §1.5).
  { payload: 'issue resolved', resource: 'issue', fixture: 'sentry-issue-resolved.json', title: "KeyError: 'sku'", link: undefined },
  {
    payload: 'event_alert',
    resource: 'event_alert',
    fixture: 'sentry-event-alert.json',
    title: 'PricingError: Не удалось рассчитать цену для SKU «КМ-2048»',
    link: 'https://sentry.io/organizations/lumen-retail/issues/6089314527/events/9f2c4b1e7a3d4c5b8e6f0a1b2c3d4e5f/',
  },
  {
    payload: 'message-only event_alert',
    resource: 'event_alert',
    fixture: 'sentry-event-alert-message-only.json',
    title: 'Payment provider answered 502 for order 7731-A',
    link: 'https://sentry.io/organizations/lumen-retail/issues/6090022871/events/0d7a5e3f9c2b4a1e8f6d5c4b3a291807/',
  },
  {
    payload: 'minimal old-version event_alert',
    resource: 'event_alert',
    fixture: 'sentry-event-alert-minimal.json',
    title: 'PDOException: SQLSTATE[HY000] [2002] Connection refused',
    link: 'https://sentry.ops.example.net/organizations/acme/issues/1187/events/5e4d3c2b1a0948f7a6b5c4d3e2f1a0b9/',
  },
  {
    payload: 'error created',
    resource: 'error',
    fixture: 'sentry-error-created.json',
    title: "TypeError: Cannot read properties of undefined (reading 'reserved')",
    link: 'https://sentry.io/organizations/lumen-retail/issues/6090120934/events/c41b7f0e2d9a4e6b93c8a5f1d0e7b2a4/',
  },
  {
    payload: 'metric_alert critical',
    resource: 'metric_alert',
    fixture: 'sentry-metric-alert-critical.json',
    title: 'Critical: Checkout 5xx rate',
    link: 'https://lumen-retail.sentry.io/alerts/rules/details/318904/?alert=1207',
  },
  {
    payload: 'metric_alert resolved',
    resource: 'metric_alert',
    fixture: 'sentry-metric-alert-resolved.json',
    title: 'Resolved: Checkout 5xx rate',
    link: 'https://lumen-retail.sentry.io/alerts/rules/details/318904/?alert=1207',
  },
  {
    payload: 'issue unresolved (a regression)',
    resource: 'issue',
    fixture: 'sentry-issue-unresolved.json',
    title: "KeyError: 'sku'",
    link: undefined,
  },
  {
    payload: 'browser event_alert without culprit and level',
    resource: 'event_alert',
    fixture: 'sentry-event-alert-js-no-culprit-no-level.json',
    title: 'TypeError: Failed to fetch',
    link: 'https://sentry.ops.example.net/organizations/acme/issues/2231/events/a17c3e9d2b4f4e6a8c0d1e2f3a4b5c6d/',
  },
  {
    payload: 'metric_alert warning',
    resource: 'metric_alert',
    fixture: 'sentry-metric-alert-warning.json',
    title: 'Warning: Checkout 5xx rate',
    link: 'https://lumen-retail.sentry.io/alerts/rules/details/318904/?alert=1207',
  },
  {
    payload: 'GlitchTip 4.x issue alert',
    resource: undefined,
    fixture: 'glitchtip-issue-4x.json',
    title: 'ZeroDivisionError: division by zero',
    link: 'https://glitchtip.example.org/acme/issues/48291',
  },
  {
    payload: 'GlitchTip uptime alert (down)',
    resource: undefined,
    fixture: 'glitchtip-uptime-down.json',
    title: 'Shop frontend',
    link: 'https://glitchtip.example.org/acme/uptime-monitors/17',
  },
  {
    payload: 'legacy WebHooks plugin body',
    resource: undefined,
    fixture: 'sentry-legacy-plugin.json',
    title: 'OperationalError: could not connect to server: Connection timed out',
    link: 'https://sentry.ops.example.net/organizations/acme/issues/1042/?referrer=webhooks_plugin',
  },
];

function postSentry(gw: Harness, resource: string | undefined, body: object) {
  const req = request(gw.url).post('/webhook/sentry');
  return (resource ? req.set('Sentry-Hook-Resource', resource) : req).send(body);
}

describe('Sentry webhook formats to Telegram', () => {
  let tg: FakeTelegram;
  let gw: Harness | undefined;

  beforeEach(async () => {
    tg = await startFakeTelegram();
    gw = await startHarness(telegramConfig(tg), 'sentry-formats');
  });
  afterEach(async () => {
    await gw?.stop();
    await tg.close();
  });

  test.each(cases)('when Sentry posts the $payload, then Telegram shows its title and link and the log says sent once', async (c) => {
    const res = await postSentry(gw!, c.resource, fixture(c.fixture));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 1, jobs: [{ channel: 'ops' }] });

    const [sent] = await tg.waitForRequests(1);
    const html = textOf(sent!.body);
    expect(shown(html)).toContain(c.title);
    if (c.link) expect(html).toContain(`<a href="${c.link}">`);
    else expect(html).not.toContain('<a ');

    await gw!.waitForLog(sentLine(c.title));
    expect(gw!.logs.filter((line) => / -> ops sent /.test(line))).toHaveLength(1);
    expect(tg.requests).toHaveLength(1);
  });

  test('when Sentry posts an installation webhook, then it answers 200 with a reason and nothing reaches Telegram', async () => {
    const res = await postSentry(gw!, 'installation', fixture('sentry-installation.json'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 0, reason: expect.stringContaining('installation') });

    // A real alert afterwards is the first and only message: the installation left nothing queued.
    await postSentry(gw!, 'issue', fixture('sentry-issue-created.json')).expect(202);
    const [first] = await tg.waitForRequests(1);
    await gw!.waitForLog(sentLine("KeyError: 'sku'"));
    expect(shown(textOf(first!.body))).toContain("KeyError: 'sku'");
    expect(tg.requests).toHaveLength(1);
    expect(gw!.logs.filter((line) => / -> ops sent /.test(line))).toHaveLength(1);
  });
});

describe('Sentry and GlitchTip webhooks that give several messages, or none unless configured', () => {
  let tg: FakeTelegram;
  let gw: Harness | undefined;

  afterEach(async () => {
    await gw?.stop();
    await tg.close();
  });

  async function start(extra: Record<string, unknown> = {}): Promise<void> {
    tg = await startFakeTelegram();
    gw = await startHarness({ ...telegramConfig(tg), ...extra }, 'sentry-formats');
  }

  function sentTitles(): string[] {
    return gw!.logs.filter((line) => / -> ops sent /.test(line)).map((line) => /sent ("(?:[^"\\]|\\.)*")/.exec(line)![1]!).map((quoted) => JSON.parse(quoted) as string);
  }

  test('when GlitchTip 5.x alerts on three issues at once, then three messages arrive, one per issue', async () => {
    await start();
    const res = await postSentry(gw!, undefined, fixture('glitchtip-issues-5x.json')).expect(202);
    expect(res.body.accepted).toBe(3);
    const requests = await tg.waitForRequests(3);
    const shownTexts = requests.map((r) => shown(textOf(r.body)));
    expect(shownTexts.some((t) => t.includes("KeyError: 'customer_id'"))).toBe(true);
    expect(shownTexts.some((t) => t.includes('Slow query detected on orders table'))).toBe(true);
    expect(shownTexts.some((t) => t.includes('Cache warmed in 812 ms'))).toBe(true);
    await gw!.waitForLog(sentLine('Cache warmed in 812 ms'));
  });

  test('when a GlitchTip monitor goes down and comes back, then a firing and a resolved message arrive', async () => {
    await start();
    await postSentry(gw!, undefined, fixture('glitchtip-uptime-down.json')).expect(202);
    await tg.waitForRequests(1);
    await postSentry(gw!, undefined, fixture('glitchtip-uptime-up.json')).expect(202);
    const [down, up] = await tg.waitForRequests(2);
    expect(shown(textOf(down!.body))).toContain('The monitored site has gone down.');
    expect(shown(textOf(up!.body))).toMatch(/RESOLVED[\s\S]*The monitored site is back up\./);
  });

  test.each([
    ['comment', 'sentry-comment-created.json', 'issue comments need no message'],
  ])('when Sentry posts %s %s with the default settings, then 200 says why and nothing is sent', async (resource, name, reason) => {
    await start();
    const res = await postSentry(gw!, resource, fixture(name)).expect(200);
    expect(res.body).toEqual({ accepted: 0, reason });
    // A real alert afterwards is the first and only message.
    await postSentry(gw!, 'issue', fixture('sentry-issue-created.json')).expect(202);
    await gw!.waitForLog(sentLine("KeyError: 'sku'"));
    expect(tg.requests).toHaveLength(1);
  });

  test('when an issue with no message yet is assigned, with the default settings, then nothing is sent: there is nothing to edit', async () => {
    await start();
    await postSentry(gw!, 'issue', fixture('sentry-issue-assigned.json')).expect(202);
    await gw!.waitForLog(/ suppressed .*assigned: no message to edit/);
    await postSentry(gw!, 'issue', fixture('sentry-issue-created.json')).expect(202);
    await gw!.waitForLog(sentLine("KeyError: 'sku'"));
    expect(tg.requests).toHaveLength(1);
  });

  test('when sentry.notifyOn opts in to assigned and archived, then both become messages', async () => {
    await start({ sentry: { notifyOn: { issue: ['created', 'resolved', 'unresolved', 'assigned', 'archived', 'ignored'] } } });
    await postSentry(gw!, 'issue', fixture('sentry-issue-assigned.json')).expect(202);
    const [assigned] = await tg.waitForRequests(1);
    expect(shown(textOf(assigned!.body))).toContain('Assigned to Lena Fischer');
    await postSentry(gw!, 'issue', fixture('sentry-issue-archived.json')).expect(202);
    const [, archived] = await tg.waitForRequests(2);
    expect(shown(textOf(archived!.body))).toMatch(/RESOLVED[\s\S]*KeyError: 'sku'/);
    await waitFor(() => sentTitles().length === 2, 'two delivery lines');
    expect(sentTitles()).toEqual(["KeyError: 'sku'", "KeyError: 'sku'"]);
  });

  test('when sentry.notifyOn names an action Sentry does not send, then the gateway does not start', async () => {
    tg = await startFakeTelegram();
    await expect(startHarness({ ...telegramConfig(tg), sentry: { notifyOn: { issue: ['exploded'] } } }, 'sentry-formats')).rejects.toThrow(/sentry\.notifyOn\.issue|notifyOn/);
    gw = undefined;
  });
});
