import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createHistoryStore } from '../src/history/store';
import type { HistoryOutcome } from '../src/history/record';
import type { AlertEvent, Severity } from '../src/normalize/event';
import { artifactsDir, countSetting, machineLine, mib, repoRoot, runBench } from './bench-env';
import { startCountingFake } from './counting-fake';
import { runLoad, type LoadFigures } from './load';
import { markdownTable } from './markdown-table';
import { alertmanagerGroup } from './payloads';
import { startRedisServer } from './redis-server';
import { builtGateway, startGateway } from './servers';

/**
 * History benchmark (README, "History and the web page"), in one run:
 *  1. ingest with history on and off: the whole gateway (ROLE=all: ingest, the intake worker that
 *     writes the records, delivery workers), the same load, taking turns; target ≥ 90% (summed req/s);
 *  2. 100,000 records written straight into Redis: memory per record;
 *  3. GET /events with filters over those records, one request at a time: p95 ≤ 100 ms.
 */
const REPO = repoRoot(__dirname);
const PREFIX = 'bench';
const RECORDS = 100_000;
const TARGET_INGEST_RATIO = 0.9;
const TARGET_P95_MS = 100;
const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

interface QueryRow {
  query: string;
  p50: number;
  p95: number;
  returned: number;
}

async function main(): Promise<number> {
  const durationS = countSetting(process.env, 'HISTORY_INGEST_SECONDS', 10);
  // Off and on take turns, so a neighbour's load on a shared machine falls on both alike.
  const rounds = countSetting(process.env, 'HISTORY_ROUNDS', 2);
  const requests = countSetting(process.env, 'HISTORY_QUERIES', 200);
  const connections = countSetting(process.env, 'INGEST_CONNECTIONS', 50);
  console.log(`history: ingest ${rounds} × off and on, ${durationS} s each (${connections} connections), ${RECORDS} records, ${requests} requests per query`);
  console.log(`machine: ${machineLine()}`);
  const redis = await startRedisServer();
  const admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  const built = builtGateway(REPO);
  const fake = await startCountingFake('telegram');
  const missed: string[] = [];
  try {
    const ingest: Array<{ history: string; figures: LoadFigures }> = [];
    let bodies = 0;
    for (const history of Array.from({ length: rounds }, () => [false, true]).flat()) {
      await admin.flushall();
      const gateway = await startGateway(built, {
        port: 0,
        role: 'all',
        redis: { url: redis.url, prefix: PREFIX },
        log: { level: 'warn', format: 'json' },
        history: history ? { retention: '7d', maxEvents: RECORDS } : false,
        channels: { ops: { type: 'telegram', apiUrl: fake.url, botToken: '123:bench', chatId: '-100' } },
      });
      try {
        const plan = { url: gateway.url, payload: alertmanagerGroup(REPO), connections };
        await runLoad({ ...plan, durationS: 3, firstBody: bodies });
        bodies += 1_000_000;
        const figures = await runLoad({ ...plan, durationS, firstBody: bodies });
        bodies += 1_000_000;
        ingest.push({ history: history ? 'on' : 'off', figures });
        console.log(`  history ${history ? 'on ' : 'off'}: ${Math.round(figures.rps)} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms, ${figures.errors} errors`);
      } finally {
        await gateway.stop();
      }
    }
    const total = (on: string) => ingest.filter((r) => r.history === on).reduce((sum, r) => sum + r.figures.rps, 0);
    const ratio = total('on') / total('off');
    if (ratio < TARGET_INGEST_RATIO) missed.push(`ingest with history ${pct(ratio)} of without (target ≥ ${pct(TARGET_INGEST_RATIO)})`);

    await admin.flushall();
    const before = await redis.usedMemory();
    const seeded = await seed(redis.url);
    const perRecord = (await redis.usedMemory() - before) / RECORDS;
    console.log(`  ${RECORDS} records in ${(seeded / 1000).toFixed(1)} s; Redis memory ${mib(perRecord * RECORDS)}, ${Math.round(perRecord)} bytes a record`);

    const gateway = await startGateway(built, {
      port: 0, role: 'api', redis: { url: redis.url, prefix: PREFIX }, log: { level: 'warn', format: 'json' },
      history: { retention: '7d', maxEvents: RECORDS }, channels: { ops: { type: 'console' }, wecom: { type: 'console' } },
    });
    const queries: QueryRow[] = [];
    try {
      for (const query of ['', 'severity=critical', 'source=sentry&severity=error', 'outcome=failed', 'channel=ops&outcome=failed&since=1d', 'project=project-7&environment=staging', 'q=timeout']) {
        queries.push(await timeQuery(gateway.url, query, requests));
        const row = queries[queries.length - 1]!;
        console.log(`  GET /events?${query.padEnd(40)} p50 ${row.p50.toFixed(1)} ms, p95 ${row.p95.toFixed(1)} ms (${row.returned} returned)`);
        if (row.p95 > TARGET_P95_MS && !query.startsWith('q=')) missed.push(`GET /events?${query}: p95 ${row.p95.toFixed(1)} ms (target ≤ ${TARGET_P95_MS} ms)`);
      }
    } finally {
      await gateway.stop();
    }

    console.log('');
    console.log(markdownTable([['history', (r) => r.history], ['req/s', (r) => Math.round(r.figures.rps)], ['p50 ms', (r) => r.figures.p50], ['p99 ms', (r) => r.figures.p99], ['errors', (r) => r.figures.errors]], ingest));
    console.log(`\ningest with history: ${pct(ratio)} of without (target ≥ ${pct(TARGET_INGEST_RATIO)}); ${Math.round(perRecord)} bytes of Redis a record\n`);
    console.log(markdownTable([['GET /events?', (r) => r.query || '(no filter)'], ['p50 ms', (r) => r.p50.toFixed(1)], ['p95 ms', (r) => r.p95.toFixed(1)], ['returned', (r) => r.returned]], queries));
    writeFileSync(join(artifactsDir(REPO), 'history.json'), `${JSON.stringify({ machine: machineLine(), ingest, ratio, perRecord, queries, missed }, null, 2)}\n`);
    console.log(missed.length === 0 ? '\nall targets met' : `\ntargets missed:\n  ${missed.join('\n  ')}`);
    return missed.length === 0 ? 0 : 1;
  } finally {
    await fake.close();
    admin.disconnect();
    await redis.stop();
  }
}

/**
 * 100,000 records as a week of a busy gateway leaves them: mostly Alertmanager, a quarter Sentry,
 * 20 projects, 1% failed deliveries; written with 64 in flight. Returns the milliseconds it took.
 */
async function seed(url: string): Promise<number> {
  const redis = new Redis(url);
  const store = createHistoryStore(redis, { prefix: PREFIX, retentionMs: 7 * 24 * 3600_000, maxEvents: RECORDS, redact: (text) => text });
  const started = Date.now();
  const now = Date.now();
  let next = 0;
  const writeOne = async (i: number) => {
    const id = i.toString(16).padStart(24, '0');
    const event: AlertEvent = {
      source: i % 4 === 0 ? 'sentry' : 'alertmanager',
      status: i % 5 === 0 ? 'resolved' : 'firing',
      severity: SEVERITIES[i % 4]!,
      title: i % 50 === 0 ? `TimeoutError: upstream timeout ${i}` : `HighRequestLatency on orders-api-${i % 37}`,
      message: `p99 latency is ${(i % 900) / 100 + 1}s over the last 5 minutes on pod orders-api-7d9c8b6f5-${i % 97}`,
      culprit: `10.20.5.${i % 250}:8080`,
      project: `project-${i % 20}`,
      environment: i % 3 === 0 ? 'staging' : 'production',
      url: `http://prometheus.example.com:9090/graph?g0.expr=latency&bench=${i}`,
      labels: { alertname: 'HighRequestLatency', severity: SEVERITIES[i % 4]!, instance: `10.20.5.${i % 250}:8080`, job: 'orders-api' },
      annotations: {},
      occurredAt: new Date(now - (RECORDS - i) * 5000).toISOString(),
      dedupKey: `alertmanager:${(i % 5000).toString(16)}`,
      identity: `bench-${i}`,
      extra: {},
    };
    await store.recordEvent(id, event, now - (RECORDS - i) * 5000, ['ops', 'wecom']);
    const outcome: HistoryOutcome = i % 100 === 0 ? 'failed' : 'sent';
    await store.recordOutcome(id, 'ops', { outcome, attempts: 1, ...(outcome === 'sent' ? { providerMessageId: String(i) } : { error: 'Telegram 400: Bad Request: chat not found' }) });
    await store.recordOutcome(id, 'wecom', { outcome: 'sent', attempts: 1 });
  };
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < RECORDS) await writeOne(next++);
  }));
  redis.disconnect();
  return Date.now() - started;
}

async function timeQuery(base: string, query: string, n: number): Promise<QueryRow> {
  const times: number[] = [];
  let returned = 0;
  for (let i = 0; i < n; i += 1) {
    const started = process.hrtime.bigint();
    const res = await fetch(`${base}/events${query ? `?${query}` : ''}`);
    const body = (await res.json()) as { events: unknown[] };
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (res.status !== 200) throw new Error(`GET /events?${query}: HTTP ${res.status} ${JSON.stringify(body)}`);
    returned = body.events.length;
  }
  times.sort((a, b) => a - b);
  return { query, p50: times[Math.floor(n * 0.5)]!, p95: times[Math.floor(n * 0.95)]!, returned };
}

function pct(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

runBench('history', main);
