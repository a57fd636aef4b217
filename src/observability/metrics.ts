import type { JobState } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ChannelPauseReader } from '../queue/channel-pauses';

/** Every name starts with this, the Node defaults included, so one regex finds the gateway's series. */
export const METRIC_PREFIX = 'notification_gateway_';

export type WebhookSource = 'sentry' | 'alertmanager';
export type WebhookOutcome = 'accepted' | 'ignored' | 'rejected';
export type DeliveryOutcome = 'sent' | 'retried' | 'suppressed' | 'failed';

/** The queue states reported as depth: every job state BullMQ has, so a series never disappears when it drops to 0. */
export const QUEUE_STATES = ['waiting', 'prioritized', 'waiting-children', 'delayed', 'active', 'completed', 'failed'] as const satisfies readonly JobState[];

/** What the depth gauge needs of a BullMQ queue. */
export interface CountableQueue {
  readonly name: string;
  getJobCounts(...states: JobState[]): Promise<Record<string, number>>;
}

export interface MetricsOptions {
  registry: Registry;
  /** Iterated at every scrape: a reload adds and removes queues. */
  queues: Iterable<CountableQueue>;
  /** Redis connections by role ("producer", "worker"); `status` is ioredis' connection state. */
  redis: Record<string, { readonly status: string }>;
  version: string;
  role: string;
  /** Each channel's provider-requested pause, read at scrape time. */
  channelPauses?: ChannelPauseReader;
}

/** What the delivery worker reports; every label value is a configured channel or a bounded reason. */
export interface DeliveryMetrics {
  delivery(channel: string, outcome: DeliveryOutcome, reason?: string): void;
  /** Webhook receipt to provider acceptance. */
  deliveryLatency(channel: string, seconds: number): void;
  /** One request to the provider; `result` is "ok" or the failure reason. */
  providerCall(channel: string, result: string, seconds: number): void;
  /** The provider asked us to wait (Telegram 429 retry_after, WeCom 45009, DingTalk throttling). */
  rateLimitWait(channel: string, seconds: number): void;
}

export interface WebhookMetrics {
  /** `reason` is the error code of a rejection (invalid_payload, unauthorized, queue_unavailable, ...). */
  webhook(source: WebhookSource, outcome: WebhookOutcome, reason?: string): void;
}

export interface GatewayMetrics extends DeliveryMetrics, WebhookMetrics {
  readonly registry: Registry;
}

// From a fast send (~0.1 s) to an alert that waited out a provider's throttling or a Redis outage.
const LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
// Provider requests time out after delivery.timeout (10 s by default).
const PROVIDER_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The gateway's metric set, registered in the registry the caller owns (never prom-client's
 * global one, so two gateways in one process, as in tests, do not share counters).
 */
export function createMetrics(options: MetricsOptions): GatewayMetrics {
  const registers = [options.registry];
  const name = (suffix: string) => `${METRIC_PREFIX}${suffix}`;
  collectDefaultMetrics({ register: options.registry, prefix: METRIC_PREFIX });

  new Gauge({ name: name('build_info'), help: 'Always 1; the running version and role.', labelNames: ['version', 'role'], registers })
    .set({ version: options.version, role: options.role }, 1);
  const webhooks = new Counter({
    name: name('webhooks_received_total'),
    help: 'Webhook requests answered, by source and outcome (accepted 202, ignored 200, rejected 4xx/5xx with the error code as reason).',
    labelNames: ['source', 'outcome', 'reason'],
    registers,
  });
  // Counted on every webhook: the labelled child is looked up once per label set, not hashed per request.
  const webhookChildren = new Map<string, ReturnType<typeof webhooks.labels>>();
  const webhookChild = (source: string, outcome: string, reason: string) => {
    const key = `${source}\0${outcome}\0${reason}`;
    let child = webhookChildren.get(key);
    if (!child) webhookChildren.set(key, (child = webhooks.labels({ source, outcome, reason })));
    return child;
  };
  const deliveries = new Counter({
    name: name('deliveries_total'),
    help: 'Delivery attempts by channel and outcome (sent, retried, suppressed, failed); reason is the failure class.',
    labelNames: ['channel', 'outcome', 'reason'],
    registers,
  });
  const latency = new Histogram({
    name: name('delivery_latency_seconds'),
    help: 'From webhook receipt to the provider accepting the message.',
    labelNames: ['channel'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const providerCalls = new Histogram({
    name: name('provider_request_duration_seconds'),
    help: 'Duration of one request to the chat provider; result is "ok" or the failure reason.',
    labelNames: ['channel', 'result'],
    buckets: PROVIDER_BUCKETS,
    registers,
  });
  const rateLimitWaits = new Counter({ name: name('rate_limit_waits_total'), help: 'Times a provider asked to slow down.', labelNames: ['channel'], registers });
  const rateLimitSeconds = new Counter({ name: name('rate_limit_wait_seconds_total'), help: 'Seconds of waiting the providers asked for.', labelNames: ['channel'], registers });

  new Gauge({
    name: name('queue_jobs'),
    help: 'Jobs per delivery queue and state, read from Redis at scrape time.',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      this.reset();
      const queues = [...options.queues];
      const counts = await Promise.allSettled(queues.map((queue) => queue.getJobCounts(...QUEUE_STATES)));
      // A queue Redis did not answer for has no samples rather than stale ones; redis_up says why.
      counts.forEach((result, i) => {
        if (result.status !== 'fulfilled') return;
        for (const state of QUEUE_STATES) this.set({ queue: queues[i]!.name, state }, result.value[state] ?? 0);
      });
    },
  });
  const readPauses = options.channelPauses;
  if (readPauses) {
    new Gauge({
      name: name('channel_paused_until_seconds'),
      help: 'Unix time until which a provider paused the channel (Telegram retry_after, Retry-After, robot throttling); 0 when not paused.',
      labelNames: ['channel'],
      registers,
      async collect() {
        for (const pause of await readPauses()) this.set({ channel: pause.channel }, pause.pausedUntil === undefined ? 0 : pause.pausedUntil / 1000);
      },
    });
  }
  new Gauge({
    name: name('redis_up'),
    help: '1 while the connection to Redis is ready, by connection (producer: ingest and queue reads; worker: deliveries).',
    labelNames: ['connection'],
    registers,
    collect() {
      for (const [connection, redis] of Object.entries(options.redis)) this.set({ connection }, redis.status === 'ready' ? 1 : 0);
    },
  });

  return {
    registry: options.registry,
    webhook: (source, outcome, reason) => webhookChild(source, outcome, outcome === 'rejected' ? (reason ?? 'unknown') : '').inc(),
    delivery: (channel, outcome, reason) => deliveries.inc({ channel, outcome, reason: reason ?? '' }),
    deliveryLatency: (channel, seconds) => latency.observe({ channel }, Math.max(0, seconds)),
    providerCall: (channel, result, seconds) => providerCalls.observe({ channel, result }, seconds),
    rateLimitWait(channel, seconds) {
      rateLimitWaits.inc({ channel });
      rateLimitSeconds.inc({ channel }, seconds);
    },
  };
}
