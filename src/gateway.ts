import { join } from 'node:path';
import type { Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { channelSecrets, createChannels } from './channels/registry';
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
import { replicaConfirmation } from './intake/replica-ack';
import { createLifecycle } from './lifecycle/create-lifecycle';
import { createEditMetrics } from './lifecycle/edit-metrics';
import { createChannelPauseReader, pausedChannelsDetail } from './queue/channel-pauses';
import { settlesBefore } from './queue/deadline';
import { rateLimitFor } from './queue/rate-limits';
import { createRedisConnections } from './queue/redis';
import { redisTargetOf } from './queue/redis-target';
import { createDeliveryWorker } from './queue/worker';
import type { DeliveryQueue } from './queue/queues';
import { createMentionResolver } from './mentions/resolve';
import { mentioningRenderer } from './mentions/mentioning-renderer';
import { createHistory } from './history/history';
import { createSelfMonitor } from './observability/self-monitoring';
import { redactBotTokenPaths, secretRedactor } from './secrets/redact';
import { compileRoutes } from './route/match-routes';
import { compileRoutePolicies } from './policy/route-policy';
import { createSummaryStore } from './policy/summary-store';
import { createDeliverySet, type DeliveryGeneration } from './reload/delivery-set';
import { createReloadMetrics } from './reload/reload-metrics';
import { createReloader, type ReloadOutcome } from './reload/reloader';
import { renderingFor } from './reload/rendering';

export interface GatewayOptions {
  /** Where log lines go (stdout by default). */
  logStream?: NodeJS.WritableStream;
  /** The clock digest periods and mutes are planned with (tests move it); BullMQ delays are computed from it. */
  now?: () => number;
  /** Where the console channel prints (stdout by default). */
  writeConsole?: (text: string) => void;
  templatesDir?: string;
  version?: string;
  /** Reads the configuration again for a reload (SIGHUP, POST /-/reload); without it every reload is refused. */
  reloadConfig?: () => Config;
  /** Said after the Redis address in the startup line (the quick start's own redis-server). */
  redisNote?: string;
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
  // History and self-monitoring scrub every secret any configuration so far has named.
  let hideSecrets = secretRedactor(secrets);
  const redact = (text: string) => redactBotTokenPaths(hideSecrets(text));
  const monitor = createSelfMonitor({ dsn: config.selfMonitoring.sentryDsn, release: options.version ?? 'unknown', redact });
  const history = createHistory({
    config: config.history, prefix: config.redis.prefix, redis: connections.worker, readRedis: connections.producer,
    redact, registry: metrics.registry, logger,
  });
  // The trim runs where the writes happen; an api-only process just reads.
  const stopTrimming = runsWorkers ? history.startTrimming(60_000) : () => undefined;
  const editMetrics = createEditMetrics(metrics.registry);
  const channelOptions = {
    writeConsole: options.writeConsole ?? ((text: string) => void process.stdout.write(text)),
    // Fails fast while Redis is away, so a channel's shared state (wecom-app's token) errors instead of hanging.
    redis: connections.producer,
    prefix: config.redis.prefix,
  };
  /** Everything one configuration builds for delivering; a reload builds the next before anything running changes. */
  const generationFor = (next: Config, built: ReturnType<typeof renderingFor>): DeliveryGeneration => {
    const channels = createChannels(next.channels, channelOptions);
    return {
      config: next,
      channels,
      targets: built.targets,
      // Alert messages carry whom they mention (README, "Mentions"); each channel writes them its own way.
      renderer: mentioningRenderer(built.renderer, createMentionResolver(next.people, next.mentions)),
      lifecycle: createLifecycle(next.lifecycle, channels, next.channels, connections.worker, { prefix: config.redis.prefix, metrics: editMetrics }),
    };
  };
  const first = generationFor(config, rendering);
  const stopDeliveries = new AbortController();
  const gate = createDedupGate(connections.worker, { prefix: config.redis.prefix, windowMs: config.dedup.window });
  const summaries = createSummaryStore(connections.worker, config.redis.prefix);
  // Read by the intake worker at each alert, so a reload's routes, intervals and lifecycle policies apply to the next one.
  const policy = { routes: compileRoutePolicies(config.routes, config.timeIntervals, config.timezone, Object.keys(config.channels)), store: summaries, now: options.now ?? Date.now };
  const intakeLifecycle = { store: first.lifecycle.store, policies: first.lifecycle.policies };
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
          lifecycle: intakeLifecycle,
          history,
        }),
      ]
    : [];
  intakeWorkers.forEach((worker) => worker.on('error', onQueueError));
  // Each reload starts these again from the new configuration (its channel, template, pace and delivery settings).
  function startDeliveryWorker(name: string, queue: DeliveryQueue, { config: next, channels, targets, renderer, lifecycle }: DeliveryGeneration): Worker {
    const worker = createDeliveryWorker({
      channel: channels.get(name)!,
      target: targets.get(name)!,
      queue,
      renderer,
      logger,
      metrics,
      gate,
      summaries,
      connection: connections.worker,
      prefix: config.redis.prefix,
      concurrency: next.delivery.concurrency,
      backoffMs: config.delivery.backoff,
      timeoutMs: next.delivery.timeout,
      maxRetryAfterMs: next.delivery.maxRetryAfter,
      stalledIntervalMs: next.delivery.stalledInterval,
      rateLimit: rateLimitFor(next.channels[name]!),
      stopSignal: stopDeliveries.signal,
      lifecycle: lifecycle.forWorker(name),
      history,
      reportError: (err) => monitor.report(err, `delivery to ${name}`),
    });
    worker.on('error', onQueueError);
    return worker;
  }
  deliveries.addQueues(first);
  await deliveries.replaceWorkers(first);

  const readiness = async () => {
    try {
      // A key's slot, not PING: a Cluster node answers PING while the slot holding the queues has no primary.
      await connections.producer.exists(`${config.redis.prefix}:ready`);
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
      history: { history, config: next, secrets: secretsOf(next), version: options.version ?? 'unknown' },
      reportError: (err) => monitor.report(err, 'http'),
      ingest: config.role !== 'worker'
        ? { intake, rememberMs, redisEvicts: eviction.problem, confirmStored, routes: compileRoutes(next.routes, Object.keys(next.channels)), logger, renderer, targets, channels, queues }
        : undefined,
    });
  const confirmStored = waitReplicasOf(connections.producer, config.redis.waitReplicas);
  const reloader = createReloader({
    load: options.reloadConfig ?? (() => { throw new Error('this gateway was started without a configuration source to read again'); }),
    started: config,
    metrics: createReloadMetrics(metrics.registry, Date.now()),
    logger,
    // Everything that can fail (templates, channels, routes, the app) is built before anything running changes.
    prepare(next) {
      const generation = generationFor(next, renderingFor(next, templatesDir));
      const nextApp = appFor(generation);
      const nextRoutes = compileRoutePolicies(next.routes, next.timeIntervals, next.timezone, Object.keys(next.channels));
      return async () => {
        secrets = [...new Set([...secrets, ...secretsOf(next)])];
        hideSecrets = secretRedactor(secrets);
        // Queues first, so the intake worker finds every channel the new routes name; then requests go to the new app.
        deliveries.addQueues(generation);
        policy.routes = nextRoutes;
        intakeLifecycle.store = generation.lifecycle.store;
        intakeLifecycle.policies = generation.lifecycle.policies;
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
  if (options.redisNote) started.fields.redis = `${started.fields.redis} (${options.redisNote})`;
  logger.info(started.message, started.fields);

  return {
    port,
    logger,
    reload: (trigger) => reloader.reload(trigger),
    async stop() {
      clearInterval(checks);
      stopTrimming();
      await server.close();
      await reloader.idle();
      // Intake first: it only moves work into the delivery queues, which must still be open.
      await Promise.all(intakeWorkers.map((worker) => worker.close()));
      await closeWorkers(deliveries.workers(), config.shutdownGrace, stopDeliveries, logger);
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
