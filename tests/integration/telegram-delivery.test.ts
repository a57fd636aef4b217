import request from 'supertest';
import { Queue } from 'bullmq';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, type FakeTelegram } from '../fakes/fake-telegram';
import { telegramGatewayPerTest } from '../support/telegram-gateway-per-test';
import { messageText } from '../support/telegram-message';
import { sampleAlertmanagerPayload, sampleSentryEventAlert } from '../../src/ingest/operator/samples';

function telegramConfig(tg: FakeTelegram, extra: Record<string, unknown> = {}) {
  return {
    channels: { ops: { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), rateLimit: { max: 100, per: '1s' }, ...extra } },
  };
}

describe('webhook to Telegram through the queue', () => {
  const suite = telegramGatewayPerTest();

  it('when Alertmanager posts a firing alert, then Telegram receives one readable HTML message and the log says sent', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway(telegramConfig(tg, { threadId: 7 }));
    const payload = sampleAlertmanagerPayload(new Date('2026-11-22T10:00:00Z'));

    const res = await request(gw.url).post('/webhook/alertmanager').send(payload as object).expect(202);
    expect(res.body).toEqual({ accepted: 1, jobs: [{ id: expect.stringMatching(/^[0-9a-f]{32}$/), channel: 'ops' }], events: [expect.stringMatching(/^[0-9a-f]{24}$/)] });

    const [sent] = await tg.waitForRequests(1);
    expect(sent!.path).toBe(`/bot${FAKE_TELEGRAM_TOKEN}/sendMessage`);
    expect(sent!.body).toMatchObject({
      chat_id: String(FAKE_TELEGRAM_CHAT.id),
      parse_mode: 'HTML',
      message_thread_id: 7,
      link_preview_options: { is_disabled: true },
    });
    const text = messageText(sent!.body);
    expect(text).toContain('<b>FIRING</b>');
    expect(text).toContain('Checkout API 5xx rate is 7.2% (threshold 5%)');
    expect(text).toContain('checkout-api-7d9f:8080');
    expect(text).toContain('2026-11-22 10:00:00 UTC');
    expect(text).toContain('<a href="http://prometheus.example.com:9090/graph?g0.expr=job%3Acheckout_5xx%3Aratio5m+%3E+0.05&amp;g0.tab=1">');
    await gw.waitForLog(/info {2}Alertmanager -> ops sent "Checkout API 5xx rate is 7\.2% \(threshold 5%\)" attempt=1 ms=\d+ key=alertmanager:/);
  });

  it('when Sentry posts an event alert, then the message names the exception, the in-app frame and the project', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway(telegramConfig(tg));
    await request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'event_alert').send(sampleSentryEventAlert(new Date()) as object).expect(202);

    const [sent] = await tg.waitForRequests(1);
    const text = messageText(sent!.body);
    expect(text).toContain('<b>ERROR</b>');
    expect(text).toContain('ZeroDivisionError: division by zero');
    expect(text).toContain('app/payments/pricing.py:42 in price_cart');
    expect(text).toContain('checkout-api');
    expect(text).toContain('production');
    expect(text).toMatch(/<a href="https:\/\/sentry\.io\/organizations\/acme\/issues\/\d+\/events\/[0-9a-f]+\/">Open in Sentry<\/a>/);
    await gw.waitForLog(/Sentry -> ops sent "ZeroDivisionError: division by zero" attempt=1/);
  });

  it('when values hold HTML, quotes, emoji and CJK, then Telegram parses the message and shows them literally', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway(telegramConfig(tg));
    const payload = sampleAlertmanagerPayload(new Date()) as { alerts: Array<{ annotations: Record<string, string>; labels: Record<string, string> }> };
    payload.alerts[0]!.annotations.summary = `KeyError: '<user_*id*>' & "co" [prod] 🔥 数据库`;
    payload.alerts[0]!.labels.instance = '<script>alert(1)</script>';

    await request(gw.url).post('/webhook/alertmanager').send(payload).expect(202);
    await gw.waitForLog(/Alertmanager -> ops sent/);
    const text = messageText(tg.requests[0]!.body);
    expect(text).toContain(`KeyError: '&lt;user_*id*&gt;' &amp; &quot;co&quot; [prod] 🔥 数据库`);
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('when the description is 6000 characters, then the message is cut to what Telegram accepts and still sent', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway(telegramConfig(tg));
    const payload = sampleAlertmanagerPayload(new Date()) as { alerts: Array<{ annotations: Record<string, string>; labels: Record<string, string> }> };
    payload.alerts[0]!.annotations.description = 'disk <full> & '.repeat(450);
    for (let i = 0; i < 150; i++) payload.alerts[0]!.labels[`label_${i}`] = `value <${i}> & ${'x'.repeat(20)}`;

    await request(gw.url).post('/webhook/alertmanager').send(payload).expect(202);
    await gw.waitForLog(/Alertmanager -> ops sent/);
    expect(messageText(tg.requests[0]!.body)).toContain('Checkout API 5xx rate');
  });

  it('when Telegram answers 500 once, then the alert is delivered once on the next attempt', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway(telegramConfig(tg));
    tg.script('internalError');
    await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);

    await gw.waitForLog(/Alertmanager -> ops sent .* attempt=2/);
    expect(tg.requests).toHaveLength(2);
    expect(gw.logs.some((line) => /warn {2}Alertmanager -> ops retrying .* attempt=1 .*reason=serverError/.test(line))).toBe(true);
  });

  it('when Telegram answers 429 retry_after, then nothing is sent to it before the wait is over and no attempt is used', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway(telegramConfig(tg));
    tg.script({ tooManyRequests: 2 });
    await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);

    const [first, second] = await tg.waitForRequests(2, 10_000);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(2000);
    await gw.waitForLog(/Alertmanager -> ops sent .* attempt=1 /);
    expect(gw.logs.some((line) => /Alertmanager -> ops retrying .*reason=rateLimited retryIn=2s/.test(line))).toBe(true);
  });

  it('when Telegram answers 400 chat not found, then it is tried once, the job fails and the log says why', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway(telegramConfig(tg));
    tg.script('chatNotFound');
    const res = await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);

    const line = await gw.waitForLog(/Alertmanager -> ops failed/);
    expect(line).toMatch(/^\S+ error Alertmanager -> ops failed ".*" attempt=1 ms=\d+ key=\S+ reason=clientError error=".*chat not found.*"$/);
    const queue = new Queue('deliver.ops', { connection: { url: gw.config.redis.url }, prefix: gw.config.redis.prefix });
    try {
      const job = await queue.getJob(res.body.jobs[0].id);
      expect(await job?.getState()).toBe('failed');
      expect(job?.failedReason).toContain('chat not found');
    } finally {
      await queue.close();
    }
    expect(tg.requests).toHaveLength(1);
  });

  it('when the bot token is wrong, then the job fails and no log line contains the token', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway({ channels: { ops: { type: 'telegram', apiUrl: tg.url, botToken: '999:wrongTokenWrongToken', chatId: String(FAKE_TELEGRAM_CHAT.id) } } });
    await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);

    await gw.waitForLog(/Alertmanager -> ops failed .*reason=authError/);
    expect(gw.logs.join('\n')).not.toContain('wrongTokenWrongToken');
  });
});
