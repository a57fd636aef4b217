import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port';
import { redisAnswers } from './redis-answers';
import { waitFor } from './wait-for';

/** A redis-server of the test's own, which the test may stop and start again (AOF keeps the data). */
export interface ThrowawayRedis {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  cleanup(): Promise<void>;
}

/** `args` add settings, e.g. `['--maxmemory', '3mb', '--maxmemory-policy', 'allkeys-lru']`. */
export async function createThrowawayRedis(args: readonly string[] = []): Promise<ThrowawayRedis> {
  const port = await findFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'ngw-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const self: ThrowawayRedis = {
    url,
    async start() {
      if (child && child.exitCode === null) return;
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', ...args], { stdio: 'ignore' });
      await waitFor(() => redisAnswers(url), `redis-server on port ${port}`);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    async cleanup() {
      await self.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await self.start();
  return self;
}
