import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config/load';
import type { Config } from './config/schema';
import { startGateway } from './gateway';
import { TemplateError } from './render/compile-template';

/**
 * After the grace period, aborted deliveries get up to 2 s to hand their jobs back to Redis; this
 * bounds the rest. Whatever still hangs then (a Redis that stopped answering mid-QUIT), the process
 * exits: an orchestrator's SIGKILL would not be kinder to the jobs.
 */
const SHUTDOWN_MARGIN_MS = 3000;

/** Composition root: config from the environment, the gateway, and the signals that stop it. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  // A reload reads the same sources again: the file GATEWAY_CONFIG names, or the environment.
  const gateway = await startGateway(config, { version, reloadConfig: () => loadConfig(process.env) });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      gateway.logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    gateway.logger.info(`${signal} received: finishing running deliveries (up to ${config.shutdownGrace} ms)`);
    const limit = config.shutdownGrace + SHUTDOWN_MARGIN_MS;
    setTimeout(() => {
      gateway.logger.error(`shutdown did not finish within ${limit} ms; exiting now`);
      process.exit(1);
    }, limit).unref();
    gateway.stop().then(
      () => process.exit(0),
      (err: Error) => {
        gateway.logger.error(`shutdown failed: ${err.message}`);
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

main().catch((err: Error) => {
  if (err instanceof TemplateError) {
    process.stderr.write(`Invalid ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`notification-gateway failed to start: ${err.message}\n`);
  process.exit(1);
});
