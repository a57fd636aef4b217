import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { sampleAlertmanagerPayload } from '../../src/ingest/operator/samples';
import { buildGateway, startGatewayProcess, type BuiltGateway } from '../support/gateway-process';
import { findFreePort } from '../support/free-port';
import { redisAnswers } from '../support/redis-answers';
import { createThrowawayRedis } from '../support/throwaway-redis';

/**
 * The quick start with no Redis running. LOCAL_REDIS_PORT moves the place the gateway looks for
 * (and starts) its Redis off 6379, where the test Redis may run.
 */
describe('when the gateway starts with no REDIS_URL and nothing answers where Redis should be', () => {
  let built: BuiltGateway;
  let cwd: string;

  beforeAll(async () => {
    built = await buildGateway();
  }, 60_000);
  afterAll(() => built.remove());
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'ngw-quick-start-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('then it starts its own redis-server (AOF in ./data), says so, delivers through it, and stops it on shutdown', async () => {
    const port = await findFreePort();
    const gw = await startGatewayProcess(built, { LOCAL_REDIS_PORT: String(port) }, [], cwd);
    try {
      const started = gw.logs.find((entry) => /listening on/.test(entry.message))!;
      expect(started.redis).toBe(`redis://127.0.0.1:${port} (local redis-server started by the gateway, data in ${join(cwd, 'data')})`);
      await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);
      await gw.waitForLog((entry) => / -> console sent /.test(entry.message), 'the console delivery');
      expect(readdirSync(join(cwd, 'data')).some((name) => /^appendonly/.test(name))).toBe(true);
    } finally {
      const exit = await gw.stop();
      expect(exit.code).toBe(0);
    }
    // The child went with the gateway: nothing answers on its port any more.
    expect(await redisAnswers(`redis://127.0.0.1:${port}`)).toBe(false);
  }, 60_000);

  it('then, when a Redis already answers there, it uses that one and starts none', async () => {
    const redis = await createThrowawayRedis();
    try {
      const port = new URL(redis.url).port;
      const gw = await startGatewayProcess(built, { LOCAL_REDIS_PORT: port }, [], cwd);
      const started = gw.logs.find((entry) => /listening on/.test(entry.message))!;
      expect(started.redis).toBe(`redis://127.0.0.1:${port}`);
      await gw.stop();
      expect(existsSync(join(cwd, 'data'))).toBe(false);
      expect(await redisAnswers(redis.url)).toBe(true);
    } finally {
      await redis.cleanup();
    }
  }, 60_000);

  it('then, without redis-server installed, it exits 1 with the install commands', async () => {
    const port = await findFreePort();
    // PATH holds node alone: no redis-server to find.
    const bin = join(cwd, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const child = spawn(process.execPath, [built.mainJs], { cwd, env: { PATH: bin, LOCAL_REDIS_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(`Redis does not answer on 127.0.0.1:${port} and redis-server is not installed.`);
    expect(stderr).toContain('apt-get install redis-server');
    expect(stderr).toContain('brew install redis');
    expect(stderr).toContain('docker run -p 6379:6379 redis:7');
  }, 30_000);
});
