import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { startHarness, type Harness } from '../support/gateway-harness';
import { shownText } from '../support/telegram-message';

function fixture(name: string): object {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as object;
}

describe('Alertmanager webhook formats to Telegram', () => {
  let tg: FakeTelegram;
  let gw: Harness;

  beforeEach(async () => {
    tg = await startFakeTelegram();
    gw = await startHarness(
      { channels: { ops: { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), rateLimit: { max: 100, per: '1s' } } } },
      'am-formats',
    );
  });
  afterEach(async () => {
    await gw.stop();
    await tg.close();
  });

  it.each([
    ['a group of three firing alerts', 'alertmanager-firing.json', [/FIRING · critical · HighRequestLatency/, /FIRING · critical · HighRequestLatency/, /FIRING · warning · HighRequestLatency/]],
    ['a resolved group with Chinese annotations', 'alertmanager-resolved.json', [/RESOLVED[\s\S]*数据库节点磁盘空间不足/, /RESOLVED/]],
    ['a group with one resolved and one firing alert', 'alertmanager-mixed.json', [/RESOLVED/, /FIRING/]],
  ])('when Alertmanager posts %s, then one message per alert arrives with its own status', async (_name, name, expected) => {
    const res = await request(gw.url).post('/webhook/alertmanager').send(fixture(name)).expect(202);
    expect(res.body.accepted).toBe(expected.length);
    const requests = await tg.waitForRequests(expected.length);
    const texts = requests.map((r) => shownText(r.body));
    // Delivery order across jobs is not promised: match each expectation to some message.
    for (const pattern of expected) expect(texts.some((text) => pattern.test(text))).toBe(true);
    expect(texts.filter((t) => /RESOLVED/.test(t))).toHaveLength(expected.filter((p) => /RESOLVED/.test(p.source)).length);
  });
});
