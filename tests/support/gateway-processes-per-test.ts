import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { buildGateway, startGatewayProcess, type BuiltGateway, type GatewayProcess } from './gateway-process';
import { removeKeys, testRedisUrl, uniquePrefix } from './test-redis';

export interface GatewayProcessesPerTest {
  /** The running test's fake Telegram: a new one for each test. */
  readonly tg: FakeTelegram;
  /** The running test's Redis key prefix; its keys are removed after the test. */
  readonly prefix: string;
  /**
   * Writes the running test's config file: Redis from the environment, then `settings` (YAML
   * lines), then channel "ops" on the fake Telegram, paced far above any burst so a test measures
   * the gateway, not the pacing. Returns the environment a process reads that file with.
   */
  writeConfig(...settings: string[]): Record<string, string>;
  /** Starts a process of the gateway built for this file; it is stopped after the running test. */
  start(env: Record<string, string>): Promise<GatewayProcess>;
}

interface PerTest {
  tg: FakeTelegram;
  dir: string;
  prefix: string;
}

/**
 * Registers the hooks for a describe block that runs real gateway processes: one build for the
 * file (the build takes longer than a test), and for each test a fake Telegram, a directory for
 * the config file and a Redis key prefix, all removed after it. `label` names the directory and
 * the prefix, so what a failed run leaves behind says where it came from.
 */
export function gatewayProcessesPerTest(label: string): GatewayProcessesPerTest {
  let built: BuiltGateway | undefined;
  let current: PerTest | undefined;
  const processes: GatewayProcess[] = [];
  const running = (): PerTest => {
    if (!current) throw new Error('a test has its fake Telegram, directory and prefix only while it runs');
    return current;
  };

  beforeAll(async () => {
    built = await buildGateway();
  }, 120_000);
  afterAll(() => built?.remove());

  beforeEach(async () => {
    current = { tg: await startFakeTelegram(), dir: mkdtempSync(join(tmpdir(), `ngw-${label}-`)), prefix: uniquePrefix(label) };
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    if (!current) return;
    const { tg, dir, prefix } = current;
    current = undefined;
    await tg.close();
    rmSync(dir, { recursive: true, force: true });
    await removeKeys(prefix);
  });

  return {
    get tg() {
      return running().tg;
    },
    get prefix() {
      return running().prefix;
    },
    writeConfig(...settings) {
      const { tg, dir, prefix } = running();
      const file = join(dir, 'gateway.yaml');
      writeFileSync(file, [
        'redis: { url: "${REDIS_URL}", prefix: "${REDIS_PREFIX}" }',
        ...settings,
        'channels:',
        `  ops: { type: telegram, apiUrl: "${tg.url}", botToken: "\${TG_TOKEN}", chatId: "${FAKE_TELEGRAM_CHAT.id}", rateLimit: { max: 1000, per: 1s } }`,
        '',
      ].join('\n'));
      return { GATEWAY_CONFIG: file, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix, TG_TOKEN: FAKE_TELEGRAM_TOKEN };
    },
    async start(env) {
      if (!built) throw new Error('the gateway build failed or has not run (beforeAll)');
      const gateway = await startGatewayProcess(built, env);
      processes.push(gateway);
      return gateway;
    },
  };
}
