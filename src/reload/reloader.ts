import { ConfigError } from '../config/load';
import type { Config } from '../config/schema';
import type { Logger } from '../observability/logger';
import { TemplateError } from '../render/compile-template';
import type { ReloadMetrics } from './reload-metrics';
import { settingsNeedingRestart } from './restart-only';

export type ReloadOutcome =
  | { ok: true; channels: string[]; restartNeeded: string[] }
  | { ok: false; message: string; problems: string[] };

export interface ReloaderOptions {
  /** Reads and validates the configuration again (config/load.ts); throws ConfigError. */
  load: () => Config;
  /** Builds everything a configuration needs (templates compiled, channels created) without touching what runs; throws on a problem. */
  prepare: (config: Config) => Promise<() => Promise<void>> | (() => Promise<void>);
  /** The configuration the process started with: restart-only settings keep its values. */
  started: Config;
  metrics: ReloadMetrics;
  logger: Logger;
}

export interface Reloader {
  /** `trigger` says who asked ("SIGHUP", "POST /-/reload") for the log line. Never throws. */
  reload(trigger: string): Promise<ReloadOutcome>;
  /** Resolves once no reload is in progress (shutdown waits for it). */
  idle(): Promise<void>;
}

/**
 * Reload as Alertmanager does it: everything is read, validated and built first, and only a
 * configuration that passed all of it replaces the running one; a refused one changes nothing.
 * Reloads run one at a time: a second SIGHUP waits for the first.
 */
export function createReloader(options: ReloaderOptions): Reloader {
  let last: Promise<unknown> = Promise.resolve();
  const run = async (trigger: string): Promise<ReloadOutcome> => {
    let commit: () => Promise<void>;
    let next: Config;
    try {
      next = options.load();
      commit = await options.prepare(next);
    } catch (err) {
      options.metrics.failed();
      const refused = refusal(err);
      options.logger.error(`${trigger}: configuration reload refused, the previous configuration keeps running: ${refused.problems.join('; ')}`);
      return refused;
    }
    try {
      await commit();
    } catch (err) {
      // Not expected (building is where things fail); said loudly, since part of the new configuration may run.
      options.metrics.failed();
      options.logger.error(`${trigger}: configuration reload failed while switching over: ${(err as Error).message}`);
      return { ok: false, message: 'Reload failed while switching over; restart the gateway', problems: [(err as Error).message] };
    }
    options.metrics.succeeded(Date.now());
    const restartNeeded = settingsNeedingRestart(options.started, next);
    const channels = Object.keys(next.channels);
    options.logger.info(`${trigger}: configuration reloaded; channels: ${channels.join(', ')}`);
    if (restartNeeded.length > 0) options.logger.warn(`${trigger}: ${restartNeeded.join(', ')} changed; these keep their running value until the next start`);
    return { ok: true, channels, restartNeeded };
  };
  return {
    reload(trigger) {
      const outcome = last.then(() => run(trigger));
      last = outcome.catch(() => undefined);
      return outcome;
    },
    idle: () => last.then(() => undefined),
  };
}

/** The same problem lines the start-up prints: "path: problem" for the config, "file, line N: ..." for a template. */
function refusal(err: unknown): Extract<ReloadOutcome, { ok: false }> {
  if (err instanceof ConfigError) return { ok: false, message: err.message.split('\n')[0]!, problems: err.problems };
  if (err instanceof TemplateError) return { ok: false, message: 'Invalid template', problems: [err.message] };
  return { ok: false, message: 'Invalid configuration', problems: [err instanceof Error ? err.message : String(err)] };
}
