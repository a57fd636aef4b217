import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { INTAKE_QUEUE } from '../src/intake/intake-queue';
import { artifactsDir, countSetting, machineLine, mib, repoRoot, runBench } from './bench-env';
import { runLoad, type LoadFigures } from './load';
import { markdownTable } from './markdown-table';
import { alertmanagerGroup, sentryEventAlert, type BenchPayload } from './payloads';
import { startRedisServer } from './redis-server';
import { sampleProcess } from './process-sampler';
import { storedJobs } from './stored-jobs';
import { builtGateway, startFloor, startGateway, type ServerUnderTest } from './servers';

/**
 * Ingest benchmark: how many webhooks a second the gateway acknowledges, measured side by side
 * with the floor (bench/floor-server.ts: parse the JSON, one XADD, 202) in the same run, so the
 * ratio survives a noisy machine. Both run as processes of their own against the same throwaway
 * Redis, flushed before each run; the gateway runs ROLE=api, the part that answers webhooks.
 * After each run the bench counts what Redis holds: every 202 must be stored work.
 */
const REPO = repoRoot(__dirname);
const PREFIX = 'bench';
/** Issue 18's goals, against the BullMQ floor (the same queue library, nothing else): req/s at least half of its, CPU per webhook at most twice. */
const TARGET_RATIO = 0.5;
const TARGET_CPU_FACTOR = 2;
/** A steady load every server sustains, to compare answer times short of saturation. */
const STEADY_RATE = 500;
const STEADY_SECONDS = 10;

/**
 * "floor" is the floor the targets compare with; "bullmq floor" (the same server adding one BullMQ
 * job instead of an XADD) shows what the queue library alone costs.
 */
type Server = 'floor' | 'bullmq floor' | 'gateway';
const SERVERS: readonly Server[] = ['floor', 'bullmq floor', 'gateway'];

interface Row {
  payload: BenchPayload;
  server: Server;
  figures: LoadFigures;
  /** The same server at STEADY_RATE requests a second. */
  steady: LoadFigures;
  peakRss: number;
  /** CPU time the server process used during the run. */
  cpuMs: number;
  /** CPU time Redis used during the run. */
  redisCpuMs: number;
  /**
   * Webhooks Redis holds after the run (a floor's entries or jobs, the gateway's intake jobs): at
   * least the 202 answers, a few more when requests were still in flight as the load stopped.
   */
  stored: number;
  acked: number;
}

async function main(): Promise<number> {
  const connections = countSetting(process.env, 'INGEST_CONNECTIONS', 50);
  const durationS = countSetting(process.env, 'INGEST_SECONDS', 20);
  const warmupS = 3;
  console.log(`ingest: ${connections} connections, ${durationS} s per run after a ${warmupS} s warm-up; ${SERVERS.join(', ')} (ROLE=api) in turn`);
  console.log(`machine: ${machineLine()}`);

  const redis = await startRedisServer();
  const admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  const built = builtGateway(REPO);
  const rows: Row[] = [];
  let bodies = 0;
  try {
    // INGEST_PAYLOADS=alertmanager runs only the Alertmanager path (the one the goals name), in half the time.
    const payloads = [alertmanagerGroup(REPO), sentryEventAlert(REPO)].filter((p) => !process.env.INGEST_PAYLOADS || process.env.INGEST_PAYLOADS.split(',').some((name) => p.name.startsWith(name)));
    for (const payload of payloads) {
      console.log(`\n${payload.name}: ${payload.bytes} bytes a request`);
      for (const server of SERVERS) {
        await admin.flushall();
        const target: ServerUnderTest =
          server === 'gateway'
            ? await startGateway(built, { port: 0, role: 'api', redis: { url: redis.url, prefix: PREFIX }, log: { level: 'info', format: 'json' } })
            : await startFloor(redis.url, server === 'floor' ? 'xadd' : 'bullmq');
        const sampler = sampleProcess(target.pid);
        const redisCpu = sampleProcess(redis.pid);
        try {
          const plan = { url: target.url, payload, connections };
          await runLoad({ ...plan, durationS: warmupS, firstBody: bodies });
          bodies += 1_000_000;
          const warmStored = await storedWebhooks(admin, server);
          sampler.reset();
          redisCpu.reset();
          const figures = await runLoad({ ...plan, durationS, firstBody: bodies });
          bodies += 1_000_000;
          const cpuMs = sampler.cpuMs();
          const redisCpuMs = redisCpu.cpuMs();
          const peakRss = sampler.peakRss();
          const stored = (await storedWebhooks(admin, server)) - warmStored;
          const steady = await runLoad({ ...plan, durationS: STEADY_SECONDS, firstBody: bodies, ratePerS: STEADY_RATE });
          bodies += 1_000_000;
          const row: Row = {
            payload,
            server,
            figures,
            steady,
            peakRss,
            cpuMs,
            redisCpuMs,
            stored,
            acked: figures.acked,
          };
          rows.push(row);
          console.log(`  ${server.padEnd(12)} ${Math.round(figures.rps)} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms, ${figures.errors} errors, CPU ${Math.round(row.cpuMs)} ms, peak RSS ${mib(row.peakRss)}, ${row.stored} stored; at ${STEADY_RATE}/s p50 ${steady.p50} ms, p99 ${steady.p99} ms`);
        } finally {
          sampler.stop();
          redisCpu.stop();
          await target.stop();
        }
      }
    }
  } finally {
    admin.disconnect();
    await redis.stop();
  }

  const missed: string[] = [];
  const ratios = rows.filter((r) => r.server === 'gateway').map((ours) => {
    const floor = rows.find((r) => r.server === 'bullmq floor' && r.payload === ours.payload)!;
    const cpuPerReq = (r: Row) => r.cpuMs / Math.max(r.figures.acked, 1);
    const ratio = { payload: ours.payload.name, throughput: ours.figures.rps / floor.figures.rps, cpu: cpuPerReq(ours) / cpuPerReq(floor), p99: ours.figures.p99 / Math.max(floor.figures.p99, 1) };
    if (ratio.throughput < TARGET_RATIO) missed.push(`${ratio.payload}: throughput ${pct(ratio.throughput)} of the BullMQ floor's (target ≥ ${pct(TARGET_RATIO)})`);
    if (ratio.cpu > TARGET_CPU_FACTOR) missed.push(`${ratio.payload}: CPU per webhook ${ratio.cpu.toFixed(2)}× the BullMQ floor's (target ≤ ${TARGET_CPU_FACTOR}×)`);
    return ratio;
  });
  for (const row of rows) {
    if (row.figures.errors + row.steady.errors > 0) missed.push(`${row.payload.name}, ${row.server}: ${row.figures.errors + row.steady.errors} errors`);
    // Requests in flight as the warm-up and the run stopped may be stored without their 202 being counted.
    if (row.stored < row.acked || row.stored > row.acked + 2 * connections) {
      missed.push(`${row.payload.name}, ${row.server}: ${row.stored} webhooks in Redis for ${row.acked} acknowledged (at most ${2 * connections} more were in flight)`);
    }
  }

  console.log(`\ningest, ${connections} connections, ${durationS} s per run:\n`);
  console.log(
    markdownTable(
      [
        ['payload', (r) => r.payload.name],
        ['server', (r) => r.server],
        ['req/s', (r) => Math.round(r.figures.rps)],
        ['p50 ms', (r) => r.figures.p50],
        ['p99 ms', (r) => r.figures.p99],
        [`p50/p99 ms at ${STEADY_RATE}/s`, (r) => `${r.steady.p50} / ${r.steady.p99}`],
        ['errors', (r) => r.figures.errors],
        ['CPU µs/req', (r) => Math.round((r.cpuMs * 1000) / Math.max(r.figures.acked, 1))],
        ['Redis CPU µs/req', (r) => Math.round((r.redisCpuMs * 1000) / Math.max(r.figures.acked, 1))],
        ['peak RSS', (r) => mib(r.peakRss)],
        ['stored / acked', (r) => `${r.stored} / ${r.acked}`],
      ],
      rows,
    ),
  );
  console.log('');
  console.log(
    markdownTable(
      [
        ['payload', (r) => r.payload],
        [`gateway/bullmq floor req/s (target ≥ ${pct(TARGET_RATIO)})`, (r) => pct(r.throughput)],
        [`gateway/bullmq floor CPU µs/req (target ≤ ${TARGET_CPU_FACTOR}×)`, (r) => `${r.cpu.toFixed(2)}×`],
        ['gateway/bullmq floor p99', (r) => `${r.p99.toFixed(2)}×`],
      ],
      ratios,
    ),
  );
  const artifacts = artifactsDir(REPO);
  const json = rows.map(({ payload, ...row }) => ({ payload: payload.name, bytes: payload.bytes, ...row }));
  writeFileSync(join(artifacts, 'ingest.json'), `${JSON.stringify({ machine: machineLine(), connections, durationS, rows: json, ratios, missed }, null, 2)}\n`);
  console.log(missed.length === 0 ? '\nall targets met' : `\ntargets missed:\n  ${missed.join('\n  ')}`);
  return missed.length === 0 ? 0 : 1;
}

/** What the server under test has stored: floor stream entries or jobs, or the gateway's intake jobs. */
async function storedWebhooks(redis: Redis, server: Server): Promise<number> {
  if (server === 'floor') return redis.xlen('floor:alerts');
  return server === 'gateway' ? storedJobs(redis, INTAKE_QUEUE, PREFIX) : storedJobs(redis, 'floor', 'floor');
}

function pct(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

runBench('ingest', main);
