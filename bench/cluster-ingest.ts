import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { INTAKE_QUEUE } from '../src/intake/intake-queue';
import { createRedisCluster } from '../tests/support/redis-cluster';
import { artifactsDir, countSetting, machineLine, mib, repoRoot, runBench } from './bench-env';
import { runLoad, type LoadFigures } from './load';
import { markdownTable } from './markdown-table';
import { alertmanagerGroup } from './payloads';
import { sampleProcess, type ProcessSampler } from './process-sampler';
import { startRedisServer } from './redis-server';
import { builtGateway, startGateway } from './servers';
import { storedJobs } from './stored-jobs';

/**
 * The ingest load of bench/ingest.ts (Alertmanager groups, autocannon) against a ROLE=api gateway
 * on a single Redis and on a 3-primary Redis Cluster, one after the other in one run, so the two
 * are compared on the same machine at the same moment. Neither Redis persists anything, so the
 * difference is the topology's. With a Cluster the gateway's prefix is a hash tag (README "Redis
 * topologies"): every key lives on one primary, which the per-node Redis CPU shows.
 */
const REPO = repoRoot(__dirname);
const PREFIX = 'bench';
const WARMUP_S = 3;

type Topology = 'single Redis' | '3-primary cluster';

interface Row {
  topology: Topology;
  figures: LoadFigures;
  cpuMs: number;
  /** CPU each Redis process used during the run, by port. */
  redisCpuMs: Array<{ port: number; ms: number }>;
  peakRss: number;
  stored: number;
  /** The port of the primary holding the gateway's slot (a cluster only). */
  slotPrimary?: number;
}

async function main(): Promise<number> {
  const connections = countSetting(process.env, 'INGEST_CONNECTIONS', 50);
  const durationS = countSetting(process.env, 'INGEST_SECONDS', 20);
  console.log(`cluster ingest: ${connections} connections, ${durationS} s per run after a ${WARMUP_S} s warm-up; gateway ROLE=api on a single Redis, then on a 3-primary cluster`);
  console.log(`machine: ${machineLine()}`);
  const payload = alertmanagerGroup(REPO);
  const built = builtGateway(REPO);
  const single = await startRedisServer();
  const cluster = await createRedisCluster(3, { durable: false }).catch(async (err: Error) => {
    await single.stop();
    throw err;
  });
  const rows: Row[] = [];
  let bodies = 0;
  try {
    const topologies: Array<{ topology: Topology; redis: Record<string, unknown>; ports: number[]; client: () => Redis | Cluster }> = [
      { topology: 'single Redis', redis: { url: single.url }, ports: [Number(new URL(single.url).port)], client: () => new Redis(single.url, { maxRetriesPerRequest: 1 }) },
      { topology: '3-primary cluster', redis: { cluster: cluster.nodes }, ports: cluster.nodes.map((node) => node.port), client: () => new Cluster(cluster.nodes) },
    ];
    for (const { topology, redis, ports, client } of topologies) {
      const gateway = await startGateway(built, { port: 0, role: 'api', redis: { ...redis, prefix: PREFIX }, log: { level: 'info', format: 'json' } });
      // The gateway hash-tags its prefix with a Cluster ("bench" becomes "{bench}").
      const prefix = topology === 'single Redis' ? PREFIX : `{${PREFIX}}`;
      const admin = client();
      const sampler = sampleProcess(gateway.pid);
      const redisSamplers: Array<{ port: number; sampler: ProcessSampler }> = [];
      try {
        for (const port of ports) redisSamplers.push({ port, sampler: sampleProcess(await redisPid(port)) });
        const plan = { url: gateway.url, payload, connections };
        await runLoad({ ...plan, durationS: WARMUP_S, firstBody: bodies });
        bodies += 1_000_000;
        const warmStored = await storedJobs(admin, INTAKE_QUEUE, prefix);
        sampler.reset();
        for (const { sampler: s } of redisSamplers) s.reset();
        const figures = await runLoad({ ...plan, durationS, firstBody: bodies });
        bodies += 1_000_000;
        const row: Row = {
          topology,
          figures,
          cpuMs: sampler.cpuMs(),
          redisCpuMs: redisSamplers.map(({ port, sampler: s }) => ({ port, ms: s.cpuMs() })),
          peakRss: sampler.peakRss(),
          stored: (await storedJobs(admin, INTAKE_QUEUE, prefix)) - warmStored,
          ...(topology === '3-primary cluster' && { slotPrimary: await cluster.primaryFor(`${prefix}:${INTAKE_QUEUE}`) }),
        };
        rows.push(row);
        console.log(`  ${topology.padEnd(17)} ${Math.round(figures.rps)} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms, ${figures.errors} errors, gateway CPU ${Math.round(row.cpuMs)} ms, ${row.stored} stored for ${figures.acked} acked`);
      } finally {
        sampler.stop();
        for (const { sampler: s } of redisSamplers) s.stop();
        admin.disconnect();
        await gateway.stop();
      }
    }
  } finally {
    await cluster.cleanup();
    await single.stop();
  }

  const perReq = (ms: number, row: Row) => Math.round((ms * 1000) / Math.max(row.figures.acked, 1));
  console.log(`\ncluster ingest, alertmanager 5-alert group, ${connections} connections, ${durationS} s per run, gateway ROLE=api:\n`);
  console.log(
    markdownTable(
      [
        ['redis', (r) => r.topology],
        ['req/s', (r) => Math.round(r.figures.rps)],
        ['p50 ms', (r) => r.figures.p50],
        ['p99 ms', (r) => r.figures.p99],
        ['errors', (r) => r.figures.errors],
        ['gateway CPU µs/req', (r) => perReq(r.cpuMs, r)],
        ['Redis CPU µs/req', (r) => perReq(r.redisCpuMs.reduce((sum, n) => sum + n.ms, 0), r)],
        // Which primary did the work: with one hash slot, one node carries every write.
        ['Redis CPU µs/req by node', (r) => r.redisCpuMs.map((n) => `${n.port === r.slotPrimary ? '*' : ''}${perReq(n.ms, r)}`).join(' / ')],
        ['peak RSS', (r) => mib(r.peakRss)],
        ['stored / acked', (r) => `${r.stored} / ${r.figures.acked}`],
      ],
      rows,
    ),
  );
  console.log('\n(* the primary holding the gateway\'s hash slot)');
  const missed = rows.flatMap((r) => [
    ...(r.figures.errors > 0 ? [`${r.topology}: ${r.figures.errors} errors`] : []),
    // Requests in flight as the warm-up and the run stopped may be stored without their 202 being counted.
    ...(r.stored < r.figures.acked || r.stored > r.figures.acked + 2 * connections ? [`${r.topology}: ${r.stored} webhooks stored for ${r.figures.acked} acknowledged`] : []),
  ]);
  writeFileSync(join(artifactsDir(REPO), 'cluster-ingest.json'), `${JSON.stringify({ machine: machineLine(), connections, durationS, rows, missed }, null, 2)}\n`);
  console.log(missed.length === 0 ? '\nevery 202 stored, no errors' : `\nproblems:\n  ${missed.join('\n  ')}`);
  return missed.length === 0 ? 0 : 1;
}

/** The process id of the redis-server on a loopback port (INFO server), to read its CPU time. */
async function redisPid(port: number): Promise<number> {
  const redis = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  try {
    return Number(/^process_id:(\d+)/m.exec(await redis.info('server'))?.[1]);
  } finally {
    redis.disconnect();
  }
}

runBench('cluster-ingest', main);
