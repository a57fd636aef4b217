import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { FAKE_FEISHU_SECRET, FAKE_FEISHU_TOKEN, FEISHU_MSG, startFakeFeishu, validSignature, type FakeFeishu } from '../fakes/fake-feishu';
import { startHarness, type Harness } from '../support/gateway-harness';

const KEYWORD = '告警';
const OTHER_TOKEN = '7d1e0b2a-5c4f-4e3d-9a8b-1f2e3d4c5b6a';
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', `${name}.json`), 'utf8')) as { alerts: unknown[] };

interface Card {
  msg_type: string;
  timestamp: string;
  sign: string;
  card: { header: { template: string; title: { content: string } }; elements: Array<{ tag: string; text?: { content: string } }> };
}

let bot: FakeFeishu;
let other: FakeFeishu;
let gw: Harness | undefined;

beforeEach(async () => {
  [bot, other] = await Promise.all([startFakeFeishu({ secret: FAKE_FEISHU_SECRET, keywords: [KEYWORD] }), startFakeFeishu({ token: OTHER_TOKEN })]);
});
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  await Promise.all([bot.close(), other.close()]);
});

function channels(overrides: object = {}) {
  return {
    'ops-feishu': { type: 'feishu', apiUrl: bot.url, token: FAKE_FEISHU_TOKEN, secret: FAKE_FEISHU_SECRET, keyword: KEYWORD, ...overrides },
    'dev-feishu': { type: 'feishu', webhookUrl: `${other.url}/open-apis/bot/v2/hook/${OTHER_TOKEN}` },
  };
}

function expectNoSecretIn(text: string, signs: readonly string[]): void {
  for (const secret of [FAKE_FEISHU_TOKEN, FAKE_FEISHU_SECRET, OTHER_TOKEN, ...signs]) expect(text).not.toContain(secret);
}

describe('Alertmanager to Feishu through the queue', () => {
  it('when a firing group arrives, then each alert reaches the signed keyword bot as a card, red for critical and orange for warning', async () => {
    gw = await startHarness({ channels: channels() });
    const group = fixture('alertmanager-firing');

    await request(gw.url).post('/webhook/alertmanager').send(group).expect(202);

    const requests = await bot.waitForRequests(group.alerts.length, 20_000);
    const cards = requests.map((r) => r.body as Card);
    expect(cards.map((c) => c.msg_type)).toEqual(['interactive', 'interactive', 'interactive']);
    expect(cards.map((c) => c.card.header.template).sort()).toEqual(['orange', 'red', 'red']);
    for (const card of cards) {
      expect(validSignature(card as unknown as Record<string, unknown>, FAKE_FEISHU_SECRET)).toBe(true);
      expect(card.card.header.title.content).toMatch(new RegExp(`^${KEYWORD} \\[(CRITICAL|WARNING)\\] `));
      expect(card.card.elements[0]?.text?.content).toContain('HighRequestLatency');
    }
    await gw.waitForLog(/info {2}Alertmanager -> ops-feishu sent ".*" attempt=1 /);
    expectNoSecretIn(gw.logs.join('\n'), cards.map((c) => c.sign));
  }, 30_000);

  it('when a resolved group arrives, then every card has a green header', async () => {
    gw = await startHarness({ channels: channels() });
    const group = fixture('alertmanager-resolved');

    await request(gw.url).post('/webhook/alertmanager').send(group).expect(202);

    const requests = await bot.waitForRequests(group.alerts.length, 20_000);
    for (const r of requests) {
      const { card } = r.body as Card;
      expect(card.header.template).toBe('green');
      expect(card.header.title.content).toContain('[RESOLVED]');
    }
  }, 30_000);

  it('when Feishu answers "too many request", then only that channel pauses for throttlePause, the other delivers meanwhile, and the alert goes out on the same attempt', async () => {
    gw = await startHarness({ channels: channels({ throttlePause: '2s' }) });
    bot.script('tooManyRequests');

    await request(gw.url).post('/test').send({ source: 'alertmanager' }).expect(202);

    const [first, second] = await bot.waitForRequests(2, 15_000);
    const [toOther] = await other.waitForRequests(1);
    // The other bot's channel was not held up by the throttled one.
    expect(toOther!.receivedAt).toBeLessThan(second!.receivedAt);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(2000);
    // The retry was signed afresh, and the fake verified it.
    expect(validSignature(second!.body as Record<string, unknown>, FAKE_FEISHU_SECRET)).toBe(true);
    await gw.waitForLog(/ -> ops-feishu sent .* attempt=1 /);
    expect(gw.logs.some((line) => /warn {2}.* -> ops-feishu retrying .*reason=rateLimited retryIn=2s error="Feishu code 9499: too many request"/.test(line))).toBe(true);
  }, 30_000);

  it.each([
    { when: 'the secret is wrong', override: { secret: 'thisIsNotTheBotsSecret00' }, code: 19021, msg: FEISHU_MSG.signMismatch },
    { when: 'the keyword is missing', override: { keyword: undefined }, code: 19024, msg: FEISHU_MSG.keywordsNotFound },
  ])('when $when, then the job fails after one request with Feishu\'s msg in the log, and no secret in any line', async ({ override, code, msg }) => {
    gw = await startHarness({ channels: channels(override) });

    await request(gw.url).post('/test').send({ source: 'alertmanager' }).expect(202);

    const line = await gw.waitForLog(/ -> ops-feishu failed/);
    expect(line).toMatch(new RegExp(`^\\S+ error .* -> ops-feishu failed ".*" attempt=1 ms=\\d+ key=\\S+ reason=authError error="Feishu code ${code}: ${msg}"$`));
    expect(bot.requests).toHaveLength(1);
    await gw.waitForLog(/ -> dev-feishu sent/);
    expectNoSecretIn(gw.logs.join('\n'), [String((bot.requests[0]!.body as Card).sign), 'thisIsNotTheBotsSecret00']);
  }, 30_000);

  it('when a dry run is asked for, then each Feishu channel shows the exact card with token and sign masked, and nothing is sent', async () => {
    gw = await startHarness({ channels: channels() });

    const res = await request(gw.url).post('/test?dryRun=1').send({ source: 'alertmanager' }).expect(200);

    const previews = res.body.previews as Array<{ channel: string; request: { method: string; url: string; body: Card } }>;
    const ops = previews.find((p) => p.channel === 'ops-feishu')!.request;
    expect(ops.url).toBe(`${bot.url}/open-apis/bot/v2/hook/[redacted]`);
    expect(ops.body).toMatchObject({ timestamp: expect.stringMatching(/^\d{10}$/), sign: '[redacted]', msg_type: 'interactive', card: { header: { template: 'red' } } });
    expect(previews.find((p) => p.channel === 'dev-feishu')!.request.url).toBe(`${other.url}/open-apis/bot/v2/hook/[redacted]`);
    expectNoSecretIn(JSON.stringify(res.body), []);
    expect(bot.requests).toHaveLength(0);
    expect(other.requests).toHaveLength(0);
  });
});
