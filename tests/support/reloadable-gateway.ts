import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load';
import { startGateway, type Gateway } from '../../src/gateway';
import { removeKeys, testRedisUrl, uniquePrefix } from './test-redis';
import { waitFor } from './wait-for';

export const ADMIN_TOKEN = 'reload-admin-token-0123456789';
export const WEBHOOK_TOKEN = 'reload-webhook-token-0123456789';

export interface ReloadableGateway {
  gateway: Gateway;
  url: string;
  prefix: string;
  dir: string;
  /** Replaces the config file's body (the redis, port, log and admin lines are added). */
  writeConfig(lines: readonly string[]): void;
  /** What the console channels printed, one entry per message. */
  printed: string[];
  logs: string[];
  waitForPrinted(pattern: RegExp, what: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The gateway in this process, configured from a YAML file that the test rewrites, reloading
 * through the same loadConfig main.ts uses: a reload reads exactly what an operator edited.
 */
export async function startReloadableGateway(lines: readonly string[], label = 'reload'): Promise<ReloadableGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'ngw-reload-'));
  const prefix = uniquePrefix(label);
  const file = join(dir, 'gateway.yaml');
  const writeConfig = (body: readonly string[]) =>
    writeFileSync(file, [
      `redis: { url: "${testRedisUrl()}", prefix: "${prefix}" }`,
      'port: 0',
      'log: { level: debug, format: text }',
      `auth: { adminToken: "${ADMIN_TOKEN}", token: "${WEBHOOK_TOKEN}" }`,
      'delivery: { attempts: 3, backoff: 50ms, timeout: 2s }',
      'shutdownGrace: 2s',
      ...body,
      '',
    ].join('\n'));
  writeConfig(lines);
  const env = { GATEWAY_CONFIG: file };
  const printed: string[] = [];
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const gateway = await startGateway(loadConfig(env), { logStream, writeConsole: (text) => printed.push(text), reloadConfig: () => loadConfig(env) });
  return {
    gateway,
    url: `http://127.0.0.1:${gateway.port}`,
    prefix,
    dir,
    writeConfig,
    printed,
    logs,
    waitForPrinted: (pattern, what) => waitFor(() => printed.find((text) => pattern.test(text)), what),
    async stop() {
      await gateway.stop();
      await removeKeys(prefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
