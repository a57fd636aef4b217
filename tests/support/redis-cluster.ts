import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { findFreePort } from './free-port';
import { redisAnswers } from './redis-answers';
import { stopChild } from './stop-child';
import { waitFor } from './wait-for';

const run = promisify(execFile);

/** A Redis Cluster of the test's own on loopback: real redis-server processes, one per node. */
export interface RedisCluster {
  nodes: Array<{ host: string; port: number }>;
  /** The primary serving the slot of `key` now. */
  primaryFor(key: string): Promise<number>;
  /** SIGKILL one node: no shutdown, no last AOF rewrite, like a crashed machine. */
  kill(port: number): Promise<void>;
  /** Starts a killed node again with its own nodes.conf and AOF, and waits until the cluster is ok. */
  restart(port: number): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * `primaries` nodes that split the 16384 slots; every write is fsynced to the AOF before Redis
 * answers, unless `durable` is false (the benchmarks compare with a single Redis kept in memory only).
 */
export async function createRedisCluster(primaries = 3, { durable = true }: { durable?: boolean } = {}): Promise<RedisCluster> {
  const root = mkdtempSync(join(tmpdir(), 'ngw-cluster-'));
  const ports: number[] = [];
  for (let i = 0; i < primaries; i++) ports.push(await findFreePort());
  const children = new Map<number, ChildProcess>();
  const start = async (port: number) => {
    const dir = join(root, String(port));
    mkdirSync(dir, { recursive: true });
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf',
        '--cluster-node-timeout', '1000', '--save', '', ...(durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']), '--maxmemory-policy', 'noeviction'],
      { stdio: 'ignore' },
    );
    children.set(port, child);
    await waitFor(() => redisAnswers(`redis://127.0.0.1:${port}`), `cluster node on port ${port}`);
  };
  await Promise.all(ports.map(start));
  await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-yes']);
  const clusterOk = () => waitFor(async () => (await Promise.all(ports.map((port) => clusterState(port)))).every((state) => state === 'ok'), 'cluster_state:ok on every node', 20_000);
  await clusterOk();

  return {
    nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
    async primaryFor(key) {
      const admin = new Redis(ports[0]!, '127.0.0.1', { maxRetriesPerRequest: 1 });
      try {
        const slot = (await admin.call('CLUSTER', 'KEYSLOT', key)) as number;
        const ranges = (await admin.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, ...unknown[]]]>;
        return ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
      } finally {
        admin.disconnect();
      }
    },
    async kill(port) {
      const child = children.get(port)!;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async restart(port) {
      await start(port);
      await clusterOk();
    },
    async cleanup() {
      await Promise.all([...children.values()].map((child) => stopChild(child)));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function clusterState(port: number): Promise<string | undefined> {
  const redis = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const info = (await redis.call('CLUSTER', 'INFO')) as string;
    return /cluster_state:(\w+)/.exec(info)?.[1];
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}
