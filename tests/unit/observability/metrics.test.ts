import { Registry } from 'prom-client';
import { createMetrics, METRIC_PREFIX, QUEUE_STATES, type CountableQueue } from '../../../src/observability/metrics';

function queue(name: string, counts: Record<string, number> | Error): CountableQueue {
  return { name, getJobCounts: async () => (counts instanceof Error ? Promise.reject(counts) : counts) };
}

function build(queues: CountableQueue[] = [], redis: Record<string, { status: string }> = {}) {
  return createMetrics({ registry: new Registry(), queues, redis, version: '1.2.3', role: 'all' });
}

/** One sample's value from the text exposition, e.g. value(text, 'deliveries_total{channel="ops",outcome="sent",reason=""}'). */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${METRIC_PREFIX}${series} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('metrics', () => {
  it('when the registry is rendered, then every metric name carries the notification_gateway_ prefix, Node defaults included', async () => {
    const metrics = build();
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining([
      'notification_gateway_webhooks_received_total',
      'notification_gateway_deliveries_total',
      'notification_gateway_delivery_latency_seconds',
      'notification_gateway_provider_request_duration_seconds',
      'notification_gateway_queue_jobs',
      'notification_gateway_rate_limit_waits_total',
      'notification_gateway_redis_up',
      'notification_gateway_process_cpu_seconds_total',
      'notification_gateway_nodejs_eventloop_lag_seconds',
    ]));
    expect(names.filter((name) => !name.startsWith(METRIC_PREFIX))).toEqual([]);
  });

  it('when two metric sets exist in one process, then their counters are independent (no global registry)', async () => {
    const a = build();
    const b = build();
    a.delivery('ops', 'sent');
    expect(value(await a.registry.metrics(), 'deliveries_total{channel="ops",outcome="sent",reason=""}')).toBe(1);
    expect(value(await b.registry.metrics(), 'deliveries_total{channel="ops",outcome="sent",reason=""}')).toBeUndefined();
  });

  it('when webhooks are answered, then only rejections carry a reason label', async () => {
    const metrics = build();
    metrics.webhook('alertmanager', 'accepted');
    metrics.webhook('sentry', 'ignored', 'installation webhooks need no message');
    metrics.webhook('sentry', 'rejected', 'invalid_credentials');
    const text = await metrics.registry.metrics();
    expect(value(text, 'webhooks_received_total{source="alertmanager",outcome="accepted",reason=""}')).toBe(1);
    expect(value(text, 'webhooks_received_total{source="sentry",outcome="ignored",reason=""}')).toBe(1);
    expect(value(text, 'webhooks_received_total{source="sentry",outcome="rejected",reason="invalid_credentials"}')).toBe(1);
  });

  it('when deliveries finish, then latency, provider duration and rate-limit waits are recorded per channel', async () => {
    const metrics = build();
    metrics.deliveryLatency('ops', 0.3);
    metrics.providerCall('ops', 'ok', 0.04);
    metrics.providerCall('ops', 'serverError', 0.2);
    metrics.rateLimitWait('ops', 35);
    const text = await metrics.registry.metrics();
    expect(value(text, 'delivery_latency_seconds_bucket{le="0.5",channel="ops"}')).toBe(1);
    expect(value(text, 'delivery_latency_seconds_bucket{le="0.25",channel="ops"}')).toBe(0);
    expect(value(text, 'provider_request_duration_seconds_count{channel="ops",result="ok"}')).toBe(1);
    expect(value(text, 'provider_request_duration_seconds_count{channel="ops",result="serverError"}')).toBe(1);
    expect(value(text, 'rate_limit_waits_total{channel="ops"}')).toBe(1);
    expect(value(text, 'rate_limit_wait_seconds_total{channel="ops"}')).toBe(35);
  });

  it('when scraped, then queue depth is read per queue and state, and a queue Redis did not answer for has no samples', async () => {
    const metrics = build([queue('deliver.ops', { waiting: 3, failed: 1 }), queue('deliver.pager', new Error('Connection is closed.'))]);
    const text = await metrics.registry.metrics();
    expect(value(text, 'queue_jobs{queue="deliver.ops",state="waiting"}')).toBe(3);
    expect(value(text, 'queue_jobs{queue="deliver.ops",state="failed"}')).toBe(1);
    expect(value(text, 'queue_jobs{queue="deliver.ops",state="delayed"}')).toBe(0);
    expect(text.split('\n').filter((l) => l.startsWith(`${METRIC_PREFIX}queue_jobs{queue="deliver.ops"`))).toHaveLength(QUEUE_STATES.length);
    expect(text).not.toContain('deliver.pager');
  });

  it('when a Redis connection is not ready, then redis_up is 0 for it', async () => {
    const metrics = build([], { producer: { status: 'ready' }, worker: { status: 'reconnecting' } });
    const text = await metrics.registry.metrics();
    expect(value(text, 'redis_up{connection="producer"}')).toBe(1);
    expect(value(text, 'redis_up{connection="worker"}')).toBe(0);
    expect(value(text, 'build_info{version="1.2.3",role="all"}')).toBe(1);
  });
});
