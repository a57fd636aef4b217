import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { configSchema } from '../src/config/schema';
import { startGateway } from '../src/gateway';
import { artifactsDir, machineLine, mib, repoRoot, runBench, seconds } from './bench-env';
import { startCountingFake } from './counting-fake';
import { markdownTable } from './markdown-table';
import { startRedisServer } from './redis-server';
import { waitFor } from '../tests/support/wait-for';

/**
 * Budget for one webhook of a megabyte: an Alertmanager group just under the 1 MiB body limit,
 * half of it a long --web.external-url, with 30, 100 and 1000 alerts. The gateway runs in this
 * process so its heap and event loop are the ones measured; each webhook is delivered to a
 * counting fake Telegram before Redis is measured (completed jobs stay in Redis for a day).
 * Targets: Redis grows ≤ 5 MiB, the heap ≤ 50 MB, the event loop is never blocked > 100 ms.
 * Exits 1 when a target is missed. A request that fails outright is a row with answer 0.
 */
const REPO = repoRoot(__dirname);
const MiB = 2 ** 20;
const TARGETS = { redisBytes: 5 * MiB, heapBytes: 50 * 1e6, loopMs: 100 };
// BIG_WEBHOOK_ALERTS=30,100 measures only those group sizes.
const ALERTS = (process.env.BIG_WEBHOOK_ALERTS ?? '30,100,1000').split(',').map(Number);

interface Row {
  alerts: number;
  bodyBytes: number;
  status: number;
  redisBytes: number;
  heapBytes: number;
  loopMs: number;
  deliveredMs: number;
}

function bigGroup(count: number, bytes = MiB - 16 * 1024) {
  const perAlert = Math.max(0, Math.floor(bytes / 2 / count) - 200);
  return {
    version: '4', status: 'firing', receiver: 'ops', groupKey: '{}:{alertname="Big"}',
    externalURL: `http://alertmanager.example/${'u'.repeat(bytes / 2)}`,
    groupLabels: { alertname: 'Big' }, commonLabels: { alertname: 'Big' },
    alerts: Array.from({ length: count }, (_, i) => ({
      status: 'firing', labels: { alertname: 'Big', instance: `host-${i}` },
      annotations: { summary: `disk ${i} full`, description: 'd'.repeat(perAlert) },
      startsAt: '2026-11-22T10:00:00Z', fingerprint: `big-${count}-${i}`,
    })),
  };
}

async function measure(alerts: number, logPath: string): Promise<Row> {
  const redis = await startRedisServer();
  const fake = await startCountingFake('telegram', { max: 100_000, perMs: 1000 });
  const logStream = createWriteStream(logPath, { flags: 'a' });
  const config = configSchema.parse({
    port: 0,
    log: { level: 'info', format: 'text' },
    redis: { url: redis.url, prefix: 'big' },
    dedup: { window: '0s' },
    channels: { ops: { type: 'telegram', apiUrl: fake.url, botToken: '123456789:AAHbigWebhookBench', chatId: '-1001234567890', rateLimit: { max: 1000, per: '1s' } } },
  });
  const gateway = await startGateway(config, { logStream, templatesDir: join(REPO, 'templates'), writeConsole: () => undefined });
  try {
    const body = JSON.stringify(bigGroup(alerts));
    const redisBefore = await redis.usedMemory();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = Date.now();
    const status = await fetch(`http://127.0.0.1:${gateway.port}/webhook/alertmanager`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
      .then(async (res) => (await res.text(), res.status))
      .catch(() => 0);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    if (status === 202) await waitFor(() => fake.accepted.length >= alerts || undefined, `${alerts} messages delivered`, 120_000);
    const deliveredMs = Date.now() - started;
    loop.disable();
    clearInterval(sampler);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    return {
      alerts, bodyBytes: Buffer.byteLength(body), status,
      redisBytes: (await redis.usedMemory()) - redisBefore,
      heapBytes: heapPeak - heapBefore,
      loopMs: loop.max / 1e6,
      deliveredMs,
    };
  } finally {
    await gateway.stop();
    await fake.close();
    await redis.stop();
    logStream.end();
  }
}

async function main(): Promise<number> {
  const logPath = join(artifactsDir(REPO), 'big-webhook.log');
  const rows: Row[] = [];
  for (const alerts of ALERTS) rows.push(await measure(alerts, logPath));
  console.log(`big-webhook: ${machineLine()}\n`);
  console.log(markdownTable<Row>([
    ['alerts', (r) => r.alerts],
    ['body', (r) => mib(r.bodyBytes)],
    ['answer', (r) => r.status],
    ['Redis growth (≤ 5 MiB)', (r) => mib(r.redisBytes)],
    ['heap peak growth (≤ 50 MB)', (r) => `${(r.heapBytes / 1e6).toFixed(1)} MB`],
    ['longest event-loop block (≤ 100 ms)', (r) => `${r.loopMs.toFixed(0)} ms`],
    ['202 to all delivered', (r) => seconds(r.deliveredMs)],
  ], rows));
  const missed = rows.filter((r) => r.status !== 202 || r.redisBytes > TARGETS.redisBytes || r.heapBytes > TARGETS.heapBytes || r.loopMs > TARGETS.loopMs);
  for (const r of missed) console.log(`target missed with ${r.alerts} alerts`);
  return missed.length > 0 ? 1 : 0;
}

runBench('big-webhook', main);
