import { redisTlsOptions } from '../config/redis-tls';
import type { RedisConfig } from './config';
import type { RedisTarget } from './redis';

/** The configured topology as connection settings; TLS files are read here, once (an unreadable one is a ConfigError). */
export function redisTargetOf(redis: RedisConfig): RedisTarget {
  const tls = redisTlsOptions(redis.tls);
  const common = { ...(redis.password && { password: redis.password }), ...(tls && { tls }) };
  if (redis.cluster) return { cluster: redis.cluster, ...common };
  if (redis.sentinels && redis.name) {
    return { sentinels: redis.sentinels, name: redis.name, ...(redis.sentinelPassword && { sentinelPassword: redis.sentinelPassword }), ...common };
  }
  return { url: redis.url, ...common };
}
