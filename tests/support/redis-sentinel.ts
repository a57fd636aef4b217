import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort } from './free-port';
import { redisAnswers } from './redis-answers';
import { stopChild } from './stop-child';
import { waitFor } from './wait-for';

export const SENTINEL_MASTER_NAME = 'ngw-master';

/**
 * One primary, one replica and three sentinels on loopback, real processes (the layout of the
 * README's compose example). Sentinels call a primary down after 1 s without an answer.
 */
export interface RedisSentinelGroup {
  sentinels: Array<{ host: string; port: number }>;
  /** The data nodes' ports, the first one primary at the start. */
  ports: [number, number];
  /** The port of the primary the sentinels name now. */
  primary(): Promise<number>;
  /** SENTINEL FAILOVER: the sentinels promote the replica. */
  failover(): Promise<void>;
  /** Waits until the sentinels name another primary than `port` and it accepts writes. */
  promotedOtherThan(port: number): Promise<number>;
  /** Waits until the sentinels see a replica in sync and the other sentinels, so a failover can happen. */
  settled(): Promise<void>;
  kill(port: number): Promise<void>;
  start(port: number): Promise<void>;
  cleanup(): Promise<void>;
}

export async function createRedisSentinelGroup(): Promise<RedisSentinelGroup> {
  const root = mkdtempSync(join(tmpdir(), 'ngw-sentinel-'));
  const ports: [number, number] = [await findFreePort(), await findFreePort()];
  const sentinelPorts = [await findFreePort(), await findFreePort(), await findFreePort()];
  const children = new Map<number, ChildProcess>();

  const startData = async (port: number, replicaOf?: number) => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', root, '--dbfilename', `dump-${port}.rdb`, '--appendfilename', `aof-${port}.aof`,
        '--appenddirname', `aof-${port}`, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction',
        ...(replicaOf ? ['--replicaof', '127.0.0.1', String(replicaOf)] : [])],
      { stdio: 'ignore' },
    );
    children.set(port, child);
    await waitFor(() => redisAnswers(`redis://127.0.0.1:${port}`), `redis-server on port ${port}`);
  };
  const startSentinel = async (port: number) => {
    const file = join(root, `sentinel-${port}.conf`);
    writeFileSync(
      file,
      [`port ${port}`, 'bind 127.0.0.1', `dir ${root}`, `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${ports[0]} 2`,
        `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} 1000`, `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 5000`, ''].join('\n'),
    );
    children.set(port, spawn('redis-server', [file, '--sentinel'], { stdio: 'ignore' }));
    await waitFor(() => redisAnswers(`redis://127.0.0.1:${port}`), `sentinel on port ${port}`);
  };
  const ask = async <T>(command: string[]): Promise<T> => {
    const sentinel = new Redis(sentinelPorts[0]!, '127.0.0.1', { maxRetriesPerRequest: 1 });
    try {
      return (await sentinel.call('SENTINEL', ...command)) as T;
    } finally {
      sentinel.disconnect();
    }
  };
  const primary = async () => Number((await ask<[string, string]>(['GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER_NAME]))[1]);

  await startData(ports[0]);
  await startData(ports[1], ports[0]);
  await Promise.all(sentinelPorts.map(startSentinel));

  const self: RedisSentinelGroup = {
    sentinels: sentinelPorts.map((port) => ({ host: '127.0.0.1', port })),
    ports,
    primary,
    async failover() {
      await ask(['FAILOVER', SENTINEL_MASTER_NAME]);
    },
    promotedOtherThan: (port) =>
      waitFor(async () => {
        const now = await primary();
        if (now === port) return undefined;
        const redis = new Redis(now, '127.0.0.1', { maxRetriesPerRequest: 1 });
        try {
          return (await redis.call('ROLE'))?.toString().startsWith('master') ? now : undefined;
        } finally {
          redis.disconnect();
        }
      }, `a primary other than ${port}`, 30_000),
    async settled() {
      await waitFor(async () => {
        const replicas = await ask<string[][]>(['REPLICAS', SENTINEL_MASTER_NAME]);
        const others = await ask<unknown[]>(['SENTINELS', SENTINEL_MASTER_NAME]);
        const inSync = replicas.some((fields) => fields.includes('master-link-status') && fields[fields.indexOf('master-link-status') + 1] === 'ok' && !fields[fields.indexOf('flags') + 1]!.includes('down'));
        return inSync && others.length === sentinelPorts.length - 1;
      }, 'sentinels to know the replica and each other', 30_000);
    },
    async kill(port) {
      const child = children.get(port)!;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    // A restarted node rejoins as it left; the sentinels make it a replica of whoever is primary now.
    start: (port) => startData(port),
    async cleanup() {
      await Promise.all([...children.values()].map((child) => stopChild(child)));
      rmSync(root, { recursive: true, force: true });
    },
  };
  return self;
}
