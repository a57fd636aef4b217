import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config/load';
import { localRedisWanted } from './config/quick-start-redis';
import type { Config } from './config/schema';
import { startGateway, type Gateway } from './gateway';
import { TemplateError } from './render/compile-template';
import { LocalRedisError, somethingListens, startLocalRedis, type LocalRedis } from './quick-start/local-redis';

/**
 * After the grace period, aborted deliveries get up to 2 s to hand their jobs back to Redis; this
 * bounds the rest. Whatever still hangs then (a Redis that stopped answering mid-QUIT), the process
 * exits: an orchestrator's SIGKILL would not be kinder to the jobs.
 */
const SHUTDOWN_MARGIN_MS = 3000;

/** Composition root: config from the environment, the gateway, and the signals that stop it. */
async function main(): Promise<void> {
  let config: Config;
  let wanted: ReturnType<typeof localRedisWanted>;
  try {
    config = loadConfig(process.env);
    wanted = localRedisWanted(process.env, config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  const localRedis = wanted ? await quickStartRedis(wanted) : undefined;
  if (wanted) config.redis.url = localRedis?.url ?? `redis://127.0.0.1:${wanted.port}`;
  const startedUrl = config.redis.url;
  // A reload reads the same sources again: the file GATEWAY_CONFIG names, or the environment. The
  // Redis the quick start chose stays the one in use, so it is not taken for a change.
  const reloadConfig = () => {
    const next = loadConfig(process.env);
    if (wanted) next.redis.url = startedUrl;
    return next;
  };
  let gateway: Gateway;
  try {
    gateway = await startGateway(config, { version, reloadConfig, redisNote: localRedis && `local redis-server started by the gateway, data in ${localRedis.dataDir}` });
  } catch (err) {
    await localRedis?.stop();
    throw err;
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      gateway.logger.warn(`${signal} again: exiting now`);
      localRedis?.kill();
      process.exit(1);
    }
    stopping = true;
    gateway.logger.info(`${signal} received: finishing running deliveries (up to ${config.shutdownGrace} ms)`);
    const limit = config.shutdownGrace + SHUTDOWN_MARGIN_MS;
    setTimeout(() => {
      gateway.logger.error(`shutdown did not finish within ${limit} ms; exiting now`);
      localRedis?.kill();
      process.exit(1);
    }, limit).unref();
    // The gateway's own redis-server goes last: deliveries hand their jobs back to it first.
    gateway.stop().then(() => localRedis?.stop()).then(
      () => process.exit(0),
      (err: Error) => {
        gateway.logger.error(`shutdown failed: ${err.message}`);
        localRedis?.kill();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // As Prometheus and Alertmanager: `kill -HUP` reloads; the gateway logs the outcome.
  process.on('SIGHUP', () => {
    if (stopping) gateway.logger.warn('SIGHUP while shutting down: not reloading');
    else void gateway.reload('SIGHUP');
  });
}

/**
 * The quick start with no Redis: nothing answers where the default config looks, so the gateway
 * starts its own redis-server, or exits with how to install one.
 */
async function quickStartRedis(wanted: { port: number; dataDir: string }): Promise<LocalRedis | undefined> {
  if (await somethingListens('127.0.0.1', wanted.port)) return undefined;
  try {
    return await startLocalRedis(wanted);
  } catch (err) {
    if (!(err instanceof LocalRedisError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

main().catch((err: Error) => {
  if (err instanceof TemplateError) {
    process.stderr.write(`Invalid ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`notification-gateway failed to start: ${err.message}\n`);
  process.exit(1);
});
