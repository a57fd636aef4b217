import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';

/** What the quick start prints when it can neither find nor start a Redis. */
export const INSTALL_REDIS = [
  'Install Redis, or point REDIS_URL at one you have:',
  '  Debian/Ubuntu: sudo apt-get install redis-server',
  '  macOS:         brew install redis',
  '  Docker:        docker run -p 6379:6379 redis:7',
].join('\n');

export class LocalRedisError extends Error {
  override readonly name = 'LocalRedisError';
}

export interface LocalRedis {
  url: string;
  /** Where its append-only file lives. */
  dataDir: string;
  /** SIGTERM, and resolves once it has written its AOF and exited. */
  stop(): Promise<void>;
  /** SIGTERM without waiting: for an exit that cannot wait. */
  kill(): void;
}

/** Whether something accepts TCP connections there now (a Redis, most likely: ioredis says if not). */
export function somethingListens(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    const finish = (answer: boolean) => {
      socket.destroy();
      done(answer);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/**
 * The quick start with no Redis running: a redis-server child of the gateway's own, loopback only
 * (protected mode), its data in an append-only file in `dataDir` (fsynced every second, Redis's
 * default), never evicting. It lives as long as the gateway: stopped on shutdown. Throws
 * LocalRedisError with the install commands when redis-server is not installed.
 */
export async function startLocalRedis(options: { port: number; dataDir: string; timeoutMs?: number }): Promise<LocalRedis> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const args = ['--port', String(options.port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--dir', dataDir,
    '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(chunk.toString('utf8'));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const spawned = await new Promise<Error | undefined>((done) => {
    child.once('spawn', () => done(undefined));
    child.once('error', done);
  });
  if (spawned) {
    const missing = (spawned as NodeJS.ErrnoException).code === 'ENOENT';
    throw new LocalRedisError(missing ? `Redis does not answer on 127.0.0.1:${options.port} and redis-server is not installed.\n${INSTALL_REDIS}` : `cannot start redis-server: ${spawned.message}`);
  }
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (!(await somethingListens('127.0.0.1', options.port, 200))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new LocalRedisError(`redis-server did not start on 127.0.0.1:${options.port}: ${lastLines(output)}\n${INSTALL_REDIS}`);
    }
    // Waiting for a child process to bind its port: there is no event for that.
    await new Promise((done) => setTimeout(done, 50));
  }
  // Once serving, it talks only through its log file's worth of stdout; keep no more of it.
  child.stdout!.off('data', keep);
  child.stdout!.resume();
  return {
    url: `redis://127.0.0.1:${options.port}`,
    dataDir,
    stop: () => stopChild(child, exited),
    kill: () => child.kill('SIGTERM'),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await exited;
}

function lastLines(output: string[]): string {
  return output.join('').trim().split('\n').slice(-3).join(' | ') || 'no output';
}
