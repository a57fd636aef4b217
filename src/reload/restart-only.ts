import { isDeepStrictEqual } from 'node:util';
import type { Config } from '../config/schema';

type Path = readonly [keyof Config, ...string[]];

/**
 * Settings a reload cannot change: the listening socket, the Redis connections, the log, the
 * process's role, the dedup identity of jobs (ingest's job ids depend on it), the retry policy
 * stored in queues that keep running, the shutdown budget main.ts already armed, the history's
 * retention (its trim runs on) and self-monitoring's Sentry client. Everything
 * else (channels, routes, templates, auth, Sentry options, delivery pace) is rebuilt on reload.
 */
const RESTART_ONLY: readonly Path[] = [
  ['port'],
  ['role'],
  ['log'],
  ['redis'],
  ['ingest', 'headersTimeout'],
  ['ingest', 'requestTimeout'],
  ['ingest', 'keepAliveTimeout'],
  ['ingest', 'maxRequestsPerSocket'],
  ['ingest', 'maxConnections'],
  ['dedup'],
  ['delivery', 'attempts'],
  ['delivery', 'backoff'],
  ['shutdownGrace'],
  ['history'],
  ['selfMonitoring'],
];

/** The restart-only settings that differ: they keep their running value until the next start. */
export function settingsNeedingRestart(running: Config, next: Config): string[] {
  return RESTART_ONLY.filter((path) => !isDeepStrictEqual(valueAt(running, path), valueAt(next, path))).map((path) => path.join('.'));
}

function valueAt(config: Config, path: Path): unknown {
  return path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), config);
}
