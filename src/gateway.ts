import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { channelSecrets, createChannels } from './channels/registry';
import type { Config } from './config/schema';
import { createApp } from './ingest/app';
import { createLogger, type Logger } from './observability/logger';
import { watchRedis } from './observability/redis-status';
import { createDeliveryQueues } from './queue/queues';
import { rateLimitFor } from './queue/rate-limits';
import { createRedisConnections } from './queue/redis';
import { createDeliveryWorker } from './queue/worker';
import { createRenderer, type RenderTarget } from './render/render';
import { compileRoutes } from './route/match-routes';

export interface GatewayOptions {
  /** Where log lines go (stdout by default). */
  logStream?: NodeJS.WritableStream;
  /** Where the console channel prints (stdout by default). */
  writeConsole?: (text: string) => void;
  templatesDir?: string;
  version?: string;
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
  const connections = createRedisConnections(config.redis.url, () => undefined);
  watchRedis(connections.producer, logger.child({ component: 'redis' }));
  if (!(await connected(connections.producer, 5000))) {
    logger.warn(`Redis at ${withoutPassword(config.redis.url)} does not answer yet; starting anyway, ingest answers 503 until it does`);
  }
  const onQueueError = (err: Error) => logger.debug(`queue: ${err.message}`);

  const names = Object.keys(config.channels);
  const queues = createDeliveryQueues(names, connections.producer, config, onQueueError);
  const renderer = createRenderer({ templatesDir: options.templatesDir ?? join(__dirname, '..', 'templates'), timezone: config.timezone });
  const targets = new Map<string, RenderTarget>(
    Object.entries(config.channels).map(([name, channel]) => [name, { name, type: channel.type, locale: channel.locale ?? config.locale, template: channel.template }]),
  );
  const runsWorkers = config.role !== 'api';
  const channels = createChannels(config.channels, {
    timeoutMs: config.delivery.timeout,
    writeConsole: options.writeConsole ?? ((text) => process.stdout.write(text)),
  });
  const stopDeliveries = new AbortController();
  const workers: Worker[] = runsWorkers
    ? names.map((name) =>
        createDeliveryWorker({
          channel: channels.get(name)!,
          target: targets.get(name)!,
          queue: queues.get(name)!,
          renderer,
          logger,
          connection: connections.worker,
          prefix: config.redis.prefix,
          concurrency: config.delivery.concurrency,
          backoffMs: config.delivery.backoff,
          timeoutMs: config.delivery.timeout,
          rateLimit: rateLimitFor(config.channels[name]!),
          stopSignal: stopDeliveries.signal,
        }),
      )
    : [];
  workers.forEach((worker) => worker.on('error', onQueueError));

  const readiness = async () => {
    try {
      await connections.producer.ping();
    } catch (err) {
      return `Redis does not answer: ${(err as Error).message}`;
    }
    const stopped = workers.filter((worker) => !worker.isRunning()).map((worker) => worker.name);
    return stopped.length > 0 ? `workers not running: ${stopped.join(', ')}` : undefined;
  };
  const app = createApp({
    logger,
    readiness,
    bodyLimitBytes: 1024 * 1024,
    ingest: config.role !== 'worker' ? { queues, routes: compileRoutes(config.routes, names), logger, renderer, targets } : undefined,
  });
  const server = await listen(app, config.port);
  const port = (server.address() as { port: number }).port;
  logger.info(`notification-gateway ${options.version ?? ''} listening on :${port}`.replace('  ', ' '), {
    role: config.role,
    channels: Object.entries(config.channels).map(([name, c]) => `${name}(${c.type})`).join(','),
    routes: config.routes?.length ?? 'all',
    redis: withoutPassword(config.redis.url),
  });

  return {
    port,
    logger,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeWorkers(workers, config.shutdownGrace, stopDeliveries, logger);
      await Promise.allSettled([...queues.values()].map((queue) => queue.close()));
      await connections.close();
    },
  };
}

/** Ingest fails fast while Redis is away, so give the first connection a moment before serving. */
function connected(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const onReady = () => done(true);
    function done(ok: boolean) {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    }
    redis.once('ready', onReady);
  });
}

function listen(app: ReturnType<typeof createApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/**
 * Running deliveries get the grace period to finish. Then their requests are aborted, so each
 * job goes back to Redis as a retry (a proper state change, nothing waits for a stalled-job check).
 */
async function closeWorkers(workers: Worker[], graceMs: number, stopDeliveries: AbortController, logger: Logger): Promise<void> {
  const closed = Promise.all(workers.map((worker) => worker.close()));
  if (await finishesWithin(closed, graceMs)) return;
  logger.warn(`deliveries still running after ${graceMs} ms; aborting them, they will be retried`);
  stopDeliveries.abort();
  if (await finishesWithin(closed, 2000)) return;
  await Promise.all(workers.map((worker) => worker.close(true)));
}

async function finishesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function secretsOf(config: Config): string[] {
  const password = safeUrl(config.redis.url)?.password;
  return [
    ...channelSecrets(config.channels),
    config.auth.token,
    config.auth.sentry?.clientSecret,
    password ? decodeURIComponent(password) : undefined,
  ].filter((s): s is string => Boolean(s));
}

function withoutPassword(url: string): string {
  const parsed = safeUrl(url);
  if (!parsed) return url;
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
