import { DEFAULT_REDIS_URL } from '../queue/config';
import { ConfigError } from './load';
import type { Config } from './schema';

type Env = Record<string, string | undefined>;

/**
 * Whether the quick start may start a local redis-server: only when nothing chose a Redis (no
 * REDIS_URL, no Sentinel or Cluster, the config's url left at its default). LOCAL_REDIS_PORT moves
 * the place it looks at and starts on (6379) elsewhere, for a second gateway or a test.
 */
export function localRedisWanted(env: Env, config: Config): { port: number; dataDir: string } | undefined {
  if (env.REDIS_URL || config.redis.sentinels || config.redis.cluster || config.redis.url !== DEFAULT_REDIS_URL) return undefined;
  const port = env.LOCAL_REDIS_PORT ? Number(env.LOCAL_REDIS_PORT) : 6379;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError([`LOCAL_REDIS_PORT: a port number, not "${env.LOCAL_REDIS_PORT}"`], 'environment');
  return { port, dataDir: 'data' };
}
