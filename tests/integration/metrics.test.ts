import request from 'supertest';
import type { Harness } from '../support/gateway-harness';
import { fakeTelegramChannel } from '../support/fake-telegram-channel';
import { telegramGatewayPerTest } from '../support/telegram-gateway-per-test';
import { waitFor } from '../support/wait-for';
import { sampleAlertmanagerPayload } from '../../src/ingest/operator/samples';

const P = 'notification_gateway_';

/** The value of one series in a /metrics answer, undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${P}${series} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function scrape(gw: Harness): Promise<string> {
  const res = await request(gw.url).get('/metrics').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text;
}

describe('GET /metrics', () => {
  const suite = telegramGatewayPerTest();

  it('when alerts are accepted, rejected, sent and failed, then the counters, histograms and queue depth say so without titles or ids', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway({ channels: { ops: fakeTelegramChannel(tg) } });
    const sent = await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);
    await gw.waitForLog(/Alertmanager -> ops sent/);
    tg.script('chatNotFound');
    await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);
    await gw.waitForLog(/Alertmanager -> ops failed/);
    await request(gw.url).post('/webhook/alertmanager').send({ version: '4', alerts: 'none' }).expect(400);
    await request(gw.url).post('/webhook/sentry').set('Content-Type', 'text/plain').send('hello').expect(415);

    // The failed job's state is written just after the log line: poll until the queue shows it.
    const text = await waitFor(async () => {
      const body = await scrape(gw);
      return sample(body, 'queue_jobs{queue="deliver.ops",state="failed"}') === 1 ? body : undefined;
    }, 'the failed job in the queue depth');
    expect(sample(text, 'webhooks_received_total{source="alertmanager",outcome="accepted",reason=""}')).toBe(2);
    expect(sample(text, 'webhooks_received_total{source="alertmanager",outcome="rejected",reason="invalid_payload"}')).toBe(1);
    expect(sample(text, 'webhooks_received_total{source="sentry",outcome="rejected",reason="unsupported_media_type"}')).toBe(1);
    expect(sample(text, 'deliveries_total{channel="ops",outcome="sent",reason=""}')).toBe(1);
    expect(sample(text, 'deliveries_total{channel="ops",outcome="failed",reason="clientError"}')).toBe(1);
    expect(sample(text, 'delivery_latency_seconds_count{channel="ops"}')).toBe(1);
    expect(sample(text, 'provider_request_duration_seconds_count{channel="ops",result="ok"}')).toBe(1);
    expect(sample(text, 'provider_request_duration_seconds_count{channel="ops",result="clientError"}')).toBe(1);
    expect(sample(text, 'queue_jobs{queue="deliver.ops",state="completed"}')).toBe(1);
    expect(sample(text, 'queue_jobs{queue="deliver.ops",state="waiting"}')).toBe(0);
    expect(sample(text, 'redis_up{connection="producer"}')).toBe(1);
    expect(sample(text, 'redis_up{connection="worker"}')).toBe(1);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    // Bounded labels: neither the alert's title nor a job id ever becomes a label value.
    expect(text).not.toContain('Checkout API');
    expect(text).not.toContain((sent.body as { jobs: Array<{ id: string }> }).jobs[0]!.id);
  });

  it('when POST /test runs, then the console channel\'s sent counter goes up by one', async () => {
    const gw = await suite.startGateway({});
    expect(sample(await scrape(gw), 'deliveries_total{channel="console",outcome="sent",reason=""}')).toBeUndefined();
    await request(gw.url).post('/test').expect(202);
    await waitFor(async () => sample(await scrape(gw), 'deliveries_total{channel="console",outcome="sent",reason=""}') === 1, 'the sent counter');
  });

  it('when Telegram asks to slow down, then the wait is counted and the delivery is counted as retried, not failed', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway({ channels: { ops: fakeTelegramChannel(tg) } });
    tg.script({ tooManyRequests: 1 });
    await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);
    await gw.waitForLog(/Alertmanager -> ops sent/);
    const text = await scrape(gw);
    expect(sample(text, 'rate_limit_waits_total{channel="ops"}')).toBe(1);
    expect(sample(text, 'rate_limit_wait_seconds_total{channel="ops"}')).toBe(1);
    expect(sample(text, 'deliveries_total{channel="ops",outcome="retried",reason="rateLimited"}')).toBe(1);
    expect(sample(text, 'deliveries_total{channel="ops",outcome="sent",reason=""}')).toBe(1);
  });

  it.each(['api', 'worker'] as const)('when ROLE=%s, then /health, /ready and /metrics are served', async (role) => {
    const gw = await suite.startGateway({ role });
    await request(gw.url).get('/health').expect(200);
    await request(gw.url).get('/ready').expect(200);
    const text = await scrape(gw);
    expect(sample(text, `build_info{version="unknown",role="${role}"}`)).toBe(1);
    expect(sample(text, 'queue_jobs{queue="deliver.console",state="waiting"}')).toBe(0);
    // Only a process that delivers holds a worker connection worth reporting.
    expect(sample(text, 'redis_up{connection="worker"}')).toBe(role === 'worker' ? 1 : undefined);
    await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(role === 'api' ? 202 : 404);
  });
});
