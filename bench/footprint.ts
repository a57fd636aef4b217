import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir, countSetting, machineLine, mib, repoRoot, runBench } from './bench-env';
import { runLoad } from './load';
import { markdownTable } from './markdown-table';
import { alertmanagerGroup } from './payloads';
import { startRedisServer } from './redis-server';
import { sampleProcess } from './process-sampler';
import { builtGateway, startFloor, startGateway, type ServerUnderTest } from './servers';
import type { BuiltGateway } from '../tests/support/gateway-process';

/**
 * Memory of one ROLE=all gateway with the quick-start console channel: its resident set just after
 * start, once idle memory settled (V8 shrinks its young generation after about a minute without
 * work), and at its peak under a steady Alertmanager load; the BullMQ floor (bench/floor-server.ts)
 * under the same load in the same run, for what node, ioredis and BullMQ alone take.
 * BENCH_BASELINE_MAIN names another build's main.js, measured first in the same run.
 */
const REPO = repoRoot(__dirname);
const IDLE_GOAL = 80 * 2 ** 20;
const LOADED_GOAL = 130 * 2 ** 20;
const SETTLE_MS = 75_000;

interface Row {
  server: string;
  started?: number;
  idle?: number;
  loaded: number;
  rps: number;
}

async function main(): Promise<number> {
  const rate = countSetting(process.env, 'FOOTPRINT_RATE', 1000);
  const durationS = countSetting(process.env, 'FOOTPRINT_SECONDS', 20);
  console.log(`footprint: ROLE=all, console channel; idle after ${SETTLE_MS / 1000} s, then ${rate} webhooks/s for ${durationS} s`);
  console.log(`machine: ${machineLine()}`);
  const redis = await startRedisServer();
  const payload = alertmanagerGroup(REPO);
  const builds: Array<[string, BuiltGateway]> = [];
  if (process.env.BENCH_BASELINE_MAIN) builds.push(['gateway (baseline)', { mainJs: process.env.BENCH_BASELINE_MAIN, remove: () => undefined }]);
  builds.push(['gateway', builtGateway(REPO)]);
  const rows: Row[] = [];
  let bodies = 0;
  const load = async (target: ServerUnderTest) => {
    const sampler = sampleProcess(target.pid);
    try {
      const figures = await runLoad({ url: target.url, payload, connections: 50, durationS, firstBody: bodies, ratePerS: rate });
      bodies += 1_000_000;
      return { loaded: sampler.peakRss(), rps: figures.rps };
    } finally {
      sampler.stop();
    }
  };
  try {
    for (const [server, built] of builds) {
      const gateway = await startGateway(built, { port: 0, role: 'all', redis: { url: redis.url, prefix: `fp${rows.length}` }, log: { level: 'info', format: 'json' } });
      const sampler = sampleProcess(gateway.pid);
      try {
        const started = sampler.peakRss();
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        sampler.reset();
        const idle = sampler.peakRss();
        sampler.stop();
        rows.push({ server, started, idle, ...(await load(gateway)) });
      } finally {
        sampler.stop();
        await gateway.stop();
      }
      console.log(`  ${server}: ${JSON.stringify(rows.at(-1))}`);
    }
    const floor = await startFloor(redis.url, 'bullmq');
    try {
      rows.push({ server: 'bullmq floor', ...(await load(floor)) });
    } finally {
      await floor.stop();
    }
  } finally {
    await redis.stop();
  }
  const ours = rows.find((row) => row.server === 'gateway')!;
  const missed = [
    ...(ours.idle! > IDLE_GOAL ? [`idle RSS ${mib(ours.idle!)} (goal ≤ ${mib(IDLE_GOAL)})`] : []),
    ...(ours.loaded > LOADED_GOAL ? [`RSS under load ${mib(ours.loaded)} (goal ≤ ${mib(LOADED_GOAL)})`] : []),
  ];
  console.log(
    '\n' +
      markdownTable(
        [
          ['server', (r) => r.server],
          ['RSS just after start', (r) => (r.started === undefined ? '–' : mib(r.started))],
          [`RSS idle (after ${SETTLE_MS / 1000} s)`, (r) => (r.idle === undefined ? '–' : mib(r.idle))],
          [`peak RSS at ${rate} webhooks/s`, (r) => mib(r.loaded)],
          ['req/s answered', (r) => Math.round(r.rps)],
        ],
        rows,
      ),
  );
  writeFileSync(join(artifactsDir(REPO), 'footprint.json'), `${JSON.stringify({ machine: machineLine(), rate, durationS, rows, missed }, null, 2)}\n`);
  console.log(missed.length === 0 ? '\nall targets met' : `\ntargets missed:\n  ${missed.join('\n  ')}`);
  return missed.length === 0 ? 0 : 1;
}

runBench('footprint', main);
