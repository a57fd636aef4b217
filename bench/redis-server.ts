import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { findFreePort } from '../tests/support/free-port';
import { redisAnswers } from '../tests/support/redis-answers';
import { waitFor } from '../tests/support/wait-for';

export interface BenchRedis {
  url: string;
  pid: number;
  /** INFO memory's used_memory, in bytes. */
  usedMemory(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A redis-server of the benchmark's own on a free loopback port, keeping nothing on disk: the
 * storm measures what the gateway stores, not persistence (the test suite covers restarts).
 */
export async function startRedisServer(): Promise<BenchRedis> {
  const port = await findFreePort();
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const failed = new Promise<Error>((resolve) => child.once('error', resolve));
  const started = waitFor(() => redisAnswers(url), `redis-server on port ${port}`, 10_000);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await Promise.race([failed, started]).catch((err: Error) => err);
  if (first instanceof Error) {
    child.kill('SIGKILL');
    throw new Error(`redis-server could not be started (${first.message}); install it (apt-get install redis-server, brew install redis)`);
  }
  return {
    url,
    pid: child.pid!,
    async usedMemory() {
      const redis = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        const info = await redis.info('memory');
        return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? NaN);
      } finally {
        redis.disconnect();
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
