import { join } from 'node:path';
import type { Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { channelSecrets, createChannels, templateSetOf } from './channels/registry';
import type { Config } from './config/schema';
import { createApp } from './ingest/app';
import { listen } from './ingest/http-server';
import { createLogger, type Logger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { createErrorEpisodes } from './observability/error-episodes';
import { createEvictionGuard } from './observability/eviction-guard';
import { watchRedis } from './observability/redis-status';
import { redisLocation, startupLine } from './observability/startup-line';
import { createDedupGate } from './dedup/dedup-gate';
import { createSeenMarker, rememberMsOf } from './dedup/seen-marker';
import { createIntakeQueue } from './intake/intake-queue';
import { createIntakeWorker } from './intake/intake-worker';
import { createLifecycle } from './lifecycle/create-lifecycle';
import { replicaConfirmation } from './intake/replica-ack';
import { createChannelPauseReader, pausedChannelsDetail } from './queue/channel-pauses';
import { settlesBefore } from './queue/deadline';
import { createDeliveryQueues } from './queue/queues';
import { rateLimitFor } from './queue/rate-limits';
import { createRedisConnections } from './queue/redis';
import { redisTargetOf } from './queue/redis-target';
import { createDeliveryWorker } from './queue/worker';
import { createMentionResolver } from './mentions/resolve';
import { mentioningRenderer } from './mentions/mentioning-renderer';
import { createRenderer, type RenderTarget } from './render/render';
import { createHistory } from './history/history';
import { createSelfMonitor } from './observability/self-monitoring';
import { redactBotTokenPaths, secretRedactor } from './secrets/redact';
import { compileRoutes } from './route/match-routes';
import { compileRoutePolicies } from './policy/route-policy';
import { createSummaryStore } from './policy/summary-store';

export interface GatewayOptions {
  /** Where log lines go (stdout by default). */
  logStream?: NodeJS.WritableStream;
  /** The clock digest periods and mutes are planned with (tests move it); BullMQ delays are computed from it. */
  now?: () => number;
  /** Where the console channel prints (stdout by default). */
  writeConsole?: (text: string) => void;
  templatesDir?: string;
  version?: string;
  /** Said after the Redis address in the startup line (the quick start's own redis-server). */
  redisNote?: string;
}

export interface Gateway {
  port: number;
  logger: Logger;
  /** Stops taking requests, lets running deliveries finish (bounded), closes Redis. */
  stop(): Promise<void>;
}

/** Builds and starts every part the role needs; the composition root's working half. */
export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  const logger = createLogger({ ...config.log, secrets: secretsOf(config), stream: options.logStream });
  // Before any connection is opened: a broken template stops the start like a config error.
  const targets = new Map<string, RenderTarget>(
    Object.entries(config.channels).map(([name, channel]) => [name, { name, type: templateSetOf(channel), locale: channel.locale ?? config.locale, template: channel.template }]),
  );
  const templates = createRenderer({
    templatesDir: options.templatesDir ?? join(__dirname, '..', 'templates'),
    timezone: config.timezone,
    targets: targets.values(),
  });
  // Alert messages carry whom they mention (README, "Mentions"); each channel writes them its own way.
  const renderer = mentioningRenderer(templates, createMentionResolver(config.people, config.mentions));
  const redisLogger = logger.child({ component: 'redis' });
  const connections = createRedisConnections(redisTargetOf(config.redis));
  // One line when Redis goes away and one when it is back; its listeners also keep ioredis from throwing.
  watchRedis([connections.producer, connections.worker], redisLogger);
  const eviction = createEvictionGuard(connections.producer, { allowEviction: config.redis.allowEviction, logger: redisLogger });
  const queueErrors = createErrorEpisodes('queue', logger.child({ component: 'queue' }));
  const onQueueError = (err: Error) => queueErrors.report(err);
  if (await connected(connections.producer, 5000)) await eviction.check();
  else logger.warn(`Redis at ${redisLocation(config.redis)} does not answer yet; starting anyway, ingest answers 503 until it does`);
  // Every later connect too: it may be to another Redis (a failover, a container restarted with other settings).
  connections.producer.on('ready', () => void eviction.check());
  const checks = setInterval(() => {
    queueErrors.tick();
    void eviction.check();
  }, config.redis.checkInterval);
  checks.unref();

  const names = Object.keys(config.channels);
  const rememberMs = rememberMsOf(config.dedup);
  const queues = createDeliveryQueues(names, connections.producer, config, onQueueError);
  const intake = createIntakeQueue(connections.producer, config.redis.prefix, onQueueError);
  const channelPauses = createChannelPauseReader(queues);
  const metrics = createMetrics({
    registry: new Registry(),
    queues: [intake, ...queues.values()],
    redis: config.role === 'api' ? { producer: connections.producer } : { producer: connections.producer, worker: connections.worker },
    version: options.version ?? 'unknown',
    role: config.role,
    channelPauses,
  });
  const runsWorkers = config.role !== 'api';
  const hideSecrets = secretRedactor(secretsOf(config));
  const monitor = createSelfMonitor({ dsn: config.selfMonitoring.sentryDsn, release: options.version ?? 'unknown', redact: (text) => redactBotTokenPaths(hideSecrets(text)) });
  const history = createHistory({
    config: config.history, prefix: config.redis.prefix, redis: connections.worker, readRedis: connections.producer,
    redact: (text) => redactBotTokenPaths(hideSecrets(text)), registry: metrics.registry, logger,
  });
  // The trim runs where the writes happen; an api-only process just reads.
  const stopTrimming = runsWorkers ? history.startTrimming(60_000) : () => undefined;
  const channels = createChannels(config.channels, {
    writeConsole: options.writeConsole ?? ((text) => process.stdout.write(text)),
    // Fails fast while Redis is away, so a channel's shared state (wecom-app's token) errors instead of hanging.
    redis: connections.producer,
    prefix: config.redis.prefix,
  });
  const stopDeliveries = new AbortController();
  const gate = createDedupGate(connections.worker, { prefix: config.redis.prefix, windowMs: config.dedup.window });
  const summaries = createSummaryStore(connections.worker, config.redis.prefix);
  const policy = { routes: compileRoutePolicies(config.routes, config.timeIntervals, config.timezone, names), store: summaries, now: options.now ?? Date.now };
  const lifecycle = createLifecycle(config.lifecycle, channels, config.channels, connections.worker, { prefix: config.redis.prefix, registry: metrics.registry });
  const intakeWorkers: Worker[] = runsWorkers
    ? [
        createIntakeWorker({
          queues, gate, metrics, logger,
          seen: createSeenMarker(connections.worker, { prefix: config.redis.prefix, rememberMs }),
          digest: config.dedup.digest,
          policy,
          windowMs: config.dedup.window,
          rememberMs,
          stalledIntervalMs: config.delivery.stalledInterval,
          connection: connections.worker,
          prefix: config.redis.prefix,
          lifecycle,
          history,
        }),
      ]
    : [];
  const deliveryWorkers: Worker[] = runsWorkers
    ? names.map((name) =>
        createDeliveryWorker({
          channel: channels.get(name)!,
          target: targets.get(name)!,
          queue: queues.get(name)!,
          renderer,
          logger,
          metrics,
          gate,
          summaries,
          connection: connections.worker,
          prefix: config.redis.prefix,
          concurrency: config.delivery.concurrency,
          backoffMs: config.delivery.backoff,
          timeoutMs: config.delivery.timeout,
          maxRetryAfterMs: config.delivery.maxRetryAfter,
          stalledIntervalMs: config.delivery.stalledInterval,
          rateLimit: rateLimitFor(config.channels[name]!),
          stopSignal: stopDeliveries.signal,
          lifecycle: lifecycle.forWorker(name),
          history,
          reportError: (err) => monitor.report(err, `delivery to ${name}`),
        }),
      )
    : [];
  const workers = [...intakeWorkers, ...deliveryWorkers];
  workers.forEach((worker) => worker.on('error', onQueueError));

  const readiness = async () => {
    try {
      // A key's slot, not PING: a Cluster node answers PING while the slot holding the queues has no primary.
      await connections.producer.exists(`${config.redis.prefix}:ready`);
    } catch (err) {
      return `Redis does not answer: ${(err as Error).message}`;
    }
    const evicts = eviction.problem();
    if (evicts) return evicts;
    const stopped = workers.filter((worker) => !worker.isRunning()).map((worker) => worker.name);
    return stopped.length > 0 ? `workers not running: ${stopped.join(', ')}` : undefined;
  };
  const app = createApp({
    logger,
    readiness,
    readinessDetail: () => pausedChannelsDetail(channelPauses),
    bodyLimitBytes: config.ingest.bodyLimit,
    auth: config.auth,
    trustProxy: config.ingest.trustProxy,
    sentryNotifyOn: config.sentry.notifyOn,
    ops: { metrics, queues },
    history: { history, config, secrets: secretsOf(config), version: options.version ?? 'unknown' },
    reportError: (err) => monitor.report(err, 'http'),
    ingest: config.role !== 'worker' ? { intake, rememberMs, redisEvicts: eviction.problem, confirmStored: waitReplicasOf(connections.producer, config.redis.waitReplicas), routes: compileRoutes(config.routes, names), logger, renderer, targets, channels, queues } : undefined,
  });
  const { headersTimeout, requestTimeout, keepAliveTimeout, maxRequestsPerSocket, maxConnections } = config.ingest;
  const server = await listen(app, config.port, { headersTimeout, requestTimeout, keepAliveTimeout, maxRequestsPerSocket, maxConnections });
  const { port } = server;
  const started = startupLine(config, options.version, port);
  if (options.redisNote) started.fields.redis = `${started.fields.redis} (${options.redisNote})`;
  logger.info(started.message, started.fields);

  return {
    port,
    logger,
    async stop() {
      clearInterval(checks);
      stopTrimming();
      await server.close();
      // Intake first: it only moves work into the delivery queues, which must still be open.
      await Promise.all(intakeWorkers.map((worker) => worker.close()));
      await closeWorkers(deliveryWorkers, config.shutdownGrace, stopDeliveries, logger);
      await Promise.allSettled([intake, ...queues.values()].map((queue) => queue.close()));
      await connections.close();
      await monitor.close();
    },
  };
}

/** Ingest fails fast while Redis is away, so give the first connection a moment before serving. */
function connected(redis: Redis | Cluster, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return settlesBefore(new Promise((resolve) => redis.once('ready', resolve)), AbortSignal.timeout(timeoutMs));
}

/**
 * Running deliveries get the grace period to finish. Then their requests are aborted, so each
 * job goes back to Redis as a retry (a proper state change, nothing waits for a stalled-job check).
 */
async function closeWorkers(workers: Worker[], graceMs: number, stopDeliveries: AbortController, logger: Logger): Promise<void> {
  const closed = Promise.all(workers.map((worker) => worker.close()));
  if (await settlesBefore(closed, AbortSignal.timeout(graceMs))) return;
  logger.warn(`deliveries still running after ${graceMs} ms; aborting them, they will be retried`);
  stopDeliveries.abort();
  if (await settlesBefore(closed, AbortSignal.timeout(2000))) return;
  await Promise.all(workers.map((worker) => worker.close(true)));
}


/** WAIT is one server's; a Cluster is refused waitReplicas by the config schema. */
function waitReplicasOf(redis: Redis | Cluster, replicas: number): (() => Promise<void>) | undefined {
  return redis.isCluster ? undefined : replicaConfirmation(redis as Redis, replicas);
}

function secretsOf(config: Config): string[] {
  const password = safeUrl(config.redis.url)?.password;
  return [
    ...channelSecrets(config.channels),
    config.auth.token,
    config.auth.sentry?.clientSecret,
    config.auth.alertmanager?.password,
    config.auth.adminToken,
    config.redis.password,
    config.redis.sentinelPassword,
    password ? decodedOrAsIs(password) : undefined,
    safeUrl(config.redis.url)?.searchParams.get('password') ?? undefined,
  ].filter((s): s is string => Boolean(s));
}

function decodedOrAsIs(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
