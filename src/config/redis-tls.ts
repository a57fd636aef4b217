import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError } from './load';
import type { RedisConfig } from '../queue/config';

type ReadFile = (path: string) => Buffer;

/**
 * `redis.tls` as Node's TLS options, the files read once at start-up: an unreadable file is a
 * configuration error that names the setting and the path, not a handshake failure later.
 * Undefined when TLS is not configured (a rediss:// URL alone then uses the system's CAs).
 */
export function redisTlsOptions(tls: RedisConfig['tls'], readFile: ReadFile = (path) => readFileSync(path)): ConnectionOptions | undefined {
  if (!tls) return undefined;
  const problems: string[] = [];
  const read = (key: 'caFile' | 'certFile' | 'keyFile'): Buffer | undefined => {
    const path = tls[key];
    if (!path) return undefined;
    try {
      return readFile(path);
    } catch (err) {
      problems.push(`redis.tls.${key}: cannot read ${path}: ${(err as Error).message}`);
      return undefined;
    }
  };
  const options: ConnectionOptions = { ca: read('caFile'), cert: read('certFile'), key: read('keyFile'), servername: tls.servername };
  if (problems.length > 0) throw new ConfigError(problems, 'redis.tls');
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
