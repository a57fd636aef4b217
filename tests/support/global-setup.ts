import { spawn } from 'node:child_process';
import { findFreePort } from './free-port';
import { redisAnswers as answers } from './redis-answers';

/**
 * The suite needs a real Redis. Use the one at TEST_REDIS_URL (default 127.0.0.1:6379) when it
 * answers; otherwise start a throwaway redis-server that keeps nothing on disk.
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (await answers(url)) {
    process.env.TEST_REDIS_URL = url;
    return;
  }
  const port = await findFreePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const started = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const failed = await Promise.race([spawnError, answers(started)]);
    if (failed instanceof Error) {
      throw new Error(
        `No Redis answers at ${url} and redis-server could not be started (${failed.message}).\n` +
          'Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) ' +
          'or point TEST_REDIS_URL at a Redis you can flush keys in.',
      );
    }
    if (failed) {
      process.env.TEST_REDIS_URL = started;
      (globalThis as { __throwawayRedis?: typeof child }).__throwawayRedis = child;
      return;
    }
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port} within 10 s`);
}
