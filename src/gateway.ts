import { join } from 'node:path';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { channelSecrets, createChannels } from './channels/registry';
import { redisTlsOptions } from './config/redis-tls';
import type { Config } from './config/schema';
import { createApp } from './ingest/app';
import { listen } from './ingest/http-server';
import { createLogger, type Logger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { createErrorEpisodes } from './observability/error-episodes';
import { createEvictionGuard } from './observability/eviction-guard';
import { watchRedis } from './observability/redis-status';
import { startupLine, withoutPassword } from './observability/startup-line';
import { createDedupGate } from './dedup/dedup-gate';
import { createSeenMarker, rememberMsOf } from './dedup/seen-marker';
import { createIntakeQueue } from './intake/intake-queue';
import { createIntakeWorker } from './intake/intake-worker';
import { createChannelPauseReader, pausedChannelsDetail } from './queue/channel-pauses';
import { settlesBefore } from './queue/deadline';
import { rateLimitFor } from './queue/rate-limits';
import { createRedisConnections } from './queue/redis';
import { createDeliveryWorker } from './queue/worker';
import type { DeliveryQueue } from './queue/queues';
import { compileRoutes } from './route/match-routes';
import { createDeliverySet, type DeliveryGeneration } from './reload/delivery-set';
import { createReloadMetrics } from './reload/reload-metrics';
import { createReloader, type ReloadOutcome } from './reload/reloader';
import { renderingFor } from './reload/rendering';

export interface GatewayOptions {
  /** Where log lines go (stdout by default). */
  logStream?: NodeJS.WritableStream;
  /** Where the console channel prints (stdout by default). */
  writeConsole?: (text: string) => void;
  templatesDir?: string;
  version?: string;
  /** Reads the configuration again for a reload (SIGHUP, POST /-/reload); without it every reload is refused. */
  reloadConfig?: () => Config;
}

export interface Gateway {
  port: number;
  logger: Logger;
  /** Re-reads configuration and templates; a refused reload leaves the running configuration as it was. */
  reload(trigger: string): Promise<ReloadOutcome>;
  /** Stops taking requests, lets running deliveries finish (bounded), closes Redis. */
  stop(): Promise<void>;
}

/** Builds and starts every part the role needs; the composition root's working half. */
export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  // Grows with each reload: a closing worker of the old configuration may still log its secrets.
  let secrets = secretsOf(config);
  const logger = createLogger({ ...config.log, secrets: () => secrets, stream: options.logStream });
  const templatesDir = options.templatesDir ?? join(__dirname, '..', 'templates');
  // Before any connection is opened: a broken template stops the start like a config error.
  const rendering = renderingFor(config, templatesDir);
  const redisLogger = logger.child({ component: 'redis' });
  const connections = createRedisConnections({ url: config.redis.url, tls: redisTlsOptions(config.redis.tls) });
  // One line when Redis goes away and one when it is back; its listeners also keep ioredis from throwing.
  watchRedis([connections.producer, connections.worker], redisLogger);
  const eviction = createEvictionGuard(connections.producer, { allowEviction: config.redis.allowEviction, logger: redisLogger });
  const queueErrors = createErrorEpisodes('queue', logger.child({ component: 'queue' }));
  const onQueueError = (err: Error) => queueErrors.report(err);
  if (await connected(connections.producer, 5000)) await eviction.check();
  else logger.warn(`Redis at ${withoutPassword(config.redis.url)} does not answer yet; starting anyway, ingest answers 503 until it does`);
  // Every later connect too: it may be to another Redis (a failover, a container restarted with other settings).
  connections.producer.on('ready', () => void eviction.check());
  const checks = setInterval(() => {
    queueErrors.tick();
    void eviction.check();
  }, config.redis.checkInterval);
  checks.unref();

  const rememberMs = rememberMsOf(config.dedup);
  const runsWorkers = config.role !== 'api';
  const deliveries = createDeliverySet({
    producer: connections.producer,
    logger,
    onQueueError,
    startWorker: runsWorkers ? (name, queue, generation) => startDeliveryWorker(name, queue, generation) : undefined,
  });
  const queues = deliveries.queues;
  const intake = createIntakeQueue(connections.producer, config.redis.prefix, onQueueError);
  const channelPauses = createChannelPauseReader(queues);
  const metrics = createMetrics({
    registry: new Registry(),
    // Read at every scrape: a reload adds and removes delivery queues.
    queues: { [Symbol.iterator]: () => [intake, ...queues.values()][Symbol.iterator]() },
    redis: config.role === 'api' ? { producer: connections.producer } : { producer: connections.producer, worker: connections.worker },
    version: options.version ?? 'unknown',
    role: config.role,
    channelPauses,
  });
  const channelOptions = {
    writeConsole: options.writeConsole ?? ((text: string) => void process.stdout.write(text)),
    // Fails fast while Redis is away, so a channel's shared state (wecom-app's token) errors instead of hanging.
    redis: connections.producer,
    prefix: config.redis.prefix,
  };
  const first: DeliveryGeneration = { config, ...rendering, channels: createChannels(config.channels, channelOptions) };
  const stopDeliveries = new AbortController();
  const gate = createDedupGate(connections.worker, { prefix: config.redis.prefix, windowMs: config.dedup.window });
  const intakeWorkers: Worker[] = runsWorkers
    ? [
        createIntakeWorker({
          queues, gate, metrics, logger,
          seen: createSeenMarker(connections.worker, { prefix: config.redis.prefix, rememberMs }),
          digest: config.dedup.digest,
          windowMs: config.dedup.window,
          rememberMs,
          stalledIntervalMs: config.delivery.stalledInterval,
          connection: connections.worker,
          prefix: config.redis.prefix,
        }),
      ]
    : [];
  intakeWorkers.forEach((worker) => worker.on('error', onQueueError));
  // Each reload starts these again from the new configuration (its channel, template, pace and delivery settings).
  function startDeliveryWorker(name: string, queue: DeliveryQueue, { config: next, channels, targets, renderer }: DeliveryGeneration): Worker {
    const worker = createDeliveryWorker({
      channel: channels.get(name)!,
      target: targets.get(name)!,
      queue,
      renderer,
      logger,
      metrics,
      gate,
      connection: connections.worker,
      prefix: config.redis.prefix,
      concurrency: next.delivery.concurrency,
      backoffMs: config.delivery.backoff,
      timeoutMs: next.delivery.timeout,
      maxRetryAfterMs: next.delivery.maxRetryAfter,
      stalledIntervalMs: next.delivery.stalledInterval,
      rateLimit: rateLimitFor(next.channels[name]!),
      stopSignal: stopDeliveries.signal,
    });
    worker.on('error', onQueueError);
    return worker;
  }
  deliveries.addQueues(first);
  await deliveries.replaceWorkers(first);

  const readiness = async () => {
    try {
      await connections.producer.ping();
    } catch (err) {
      return `Redis does not answer: ${(err as Error).message}`;
    }
    const evicts = eviction.problem();
    if (evicts) return evicts;
    const stopped = [...intakeWorkers, ...deliveries.workers()].filter((worker) => !worker.isRunning()).map((worker) => worker.name);
    return stopped.length > 0 ? `workers not running: ${stopped.join(', ')}` : undefined;
  };
  const appFor = ({ config: next, renderer, targets, channels }: DeliveryGeneration) =>
    createApp({
      logger,
      readiness,
      readinessDetail: () => pausedChannelsDetail(channelPauses),
      bodyLimitBytes: next.ingest.bodyLimit,
      auth: next.auth,
      trustProxy: next.ingest.trustProxy,
      sentryNotifyOn: next.sentry.notifyOn,
      ops: { metrics, queues },
      reload: reloader,
      ingest: config.role !== 'worker' ? { intake, rememberMs, redisEvicts: eviction.problem, routes: compileRoutes(next.routes, Object.keys(next.channels)), logger, renderer, targets, channels } : undefined,
    });
  const reloader = createReloader({
    load: options.reloadConfig ?? (() => { throw new Error('this gateway was started without a configuration source to read again'); }),
    started: config,
    metrics: createReloadMetrics(metrics.registry, Date.now()),
    logger,
    // Everything that can fail (templates, channels, routes, the app) is built before anything running changes.
    prepare(next) {
      const generation: DeliveryGeneration = { config: next, ...renderingFor(next, templatesDir), channels: createChannels(next.channels, channelOptions) };
      const nextApp = appFor(generation);
      return async () => {
        secrets = [...new Set([...secrets, ...secretsOf(next)])];
        // Queues first, so the intake worker finds every channel the new routes name; then requests go to the new app.
        deliveries.addQueues(generation);
        app = nextApp;
        await deliveries.replaceWorkers(generation);
      };
    },
  });
  let app = appFor(first);
  const { headersTimeout, requestTimeout, keepAliveTimeout, maxRequestsPerSocket, maxConnections } = config.ingest;
  const server = await listen((req, res) => app(req, res), config.port, { headersTimeout, requestTimeout, keepAliveTimeout, maxRequestsPerSocket, maxConnections });
  const { port } = server;
  const started = startupLine(config, options.version, port);
  logger.info(started.message, started.fields);

  return {
    port,
    logger,
    reload: (trigger) => reloader.reload(trigger),
    async stop() {
      clearInterval(checks);
      await server.close();
      await reloader.idle();
      // Intake first: it only moves work into the delivery queues, which must still be open.
      await Promise.all(intakeWorkers.map((worker) => worker.close()));
      await closeWorkers(deliveries.workers(), config.shutdownGrace, stopDeliveries, logger);
      await Promise.allSettled([intake, ...queues.values()].map((queue) => queue.close()));
      await connections.close();
    },
  };
}

/** Ingest fails fast while Redis is away, so give the first connection a moment before serving. */
function connected(redis: Redis, timeoutMs: number): Promise<boolean> {
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


function secretsOf(config: Config): string[] {
  const password = safeUrl(config.redis.url)?.password;
  return [
    ...channelSecrets(config.channels),
    config.auth.token,
    config.auth.sentry?.clientSecret,
    config.auth.alertmanager?.password,
    config.auth.adminToken,
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
