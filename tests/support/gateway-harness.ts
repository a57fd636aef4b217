import { Writable } from 'node:stream';
import { configSchema, type Config } from '../../src/config/schema';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/gateway';
import { removeKeys, testRedisUrl, uniquePrefix } from './test-redis';
import { waitFor } from './wait-for';

export interface Harness {
  gateway: Gateway;
  url: string;
  config: Config;
  logs: string[];
  printed: string[];
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the whole gateway in this process against real Redis (a fresh key prefix) with the
 * given raw config, capturing its log lines and what the console channel prints.
 */
export async function startHarness(raw: Record<string, unknown>, label = 'it', options: Pick<GatewayOptions, 'now'> = {}): Promise<Harness> {
  const prefix = uniquePrefix(label);
  const ownRedis = raw.redis as Record<string, unknown> | undefined;
  // A test that names Sentinels or a Cluster brings its own Redis; the others share the test Redis.
  const shared = !ownRedis?.sentinels && !ownRedis?.cluster;
  const config = configSchema.parse({
    port: 0,
    log: { level: 'debug', format: 'text' },
    delivery: { attempts: 3, backoff: '50ms', timeout: '2s' },
    shutdownGrace: '2s',
    ...raw,
    redis: { ...(shared && { url: testRedisUrl() }), prefix, ...ownRedis },
  });
  if (Object.keys(config.channels).length === 0) config.channels.console = { type: 'console' };
  const logs: string[] = [];
  const printed: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const gateway = await startGateway(config, { ...options, logStream, writeConsole: (text) => printed.push(text) });
  return {
    gateway,
    url: `http://127.0.0.1:${gateway.port}`,
    config,
    logs,
    printed,
    waitForLog: (pattern, timeoutMs) => waitFor(() => logs.find((line) => pattern.test(line)), `a log line matching ${pattern}`, timeoutMs),
    async stop() {
      await gateway.stop();
      if (shared) await removeKeys(config.redis.prefix, config.redis.url);
    },
  };
}
