import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDuration } from '../src/config/duration';
import { configSchema } from '../src/config/schema';
import { rateLimitFor } from '../src/queue/rate-limits';
import { startGateway } from '../src/gateway';
import { artifactsDir, countSetting, machineLine, mib, repoRoot, runBench, seconds as s } from './bench-env';
import { startCountingFake, type CountingFake, type ProviderKind } from './counting-fake';
import { startRedisServer } from './redis-server';
import { runStorm } from './sentry-storm';
import { formatTable, missedTargets, tallyChannel } from './storm-report';
import { createQueueWatch } from './queue-watch';

/**
 * Storm benchmark: thousands of Sentry events over a few issues, three paced
 * channels whose fake providers enforce the real 20-per-minute limits. The chat must show one
 * first message per issue, at most one digest per issue and window, digest counts that add up
 * to every acknowledged event, and no rate-limit answer. Exits 1 when a target is missed.
 */
const REPO = repoRoot(__dirname);
const CHANNELS: readonly ProviderKind[] = ['telegram', 'wecom', 'dingtalk'];
const PREFIX = 'storm';

async function main(): Promise<number> {
  const plan = settings(process.env);
  const stormMs = (plan.events / plan.ratePerS) * 1000;
  console.log(`storm: ${plan.events} Sentry event_alert webhooks over ${plan.issues} issues at ${plan.ratePerS}/s (~${s(stormMs)}), dedup window ${s(plan.windowMs)}, channels ${CHANNELS.join(', ')}`);
  console.log(`machine: ${machineLine()}`);

  const redis = await startRedisServer();
  const fakes = new Map<ProviderKind, CountingFake>();
  for (const kind of CHANNELS) fakes.set(kind, await startCountingFake(kind));
  const artifacts = artifactsDir(REPO);
  const logPath = join(artifacts, 'storm-gateway.log');
  const logStream = createWriteStream(logPath);
  const config = configSchema.parse({
    port: 0,
    log: { level: 'info', format: 'json' },
    redis: { url: redis.url, prefix: PREFIX },
    dedup: { window: plan.windowMs },
    channels: {
      telegram: { type: 'telegram', apiUrl: fakes.get('telegram')!.url, botToken: '123456789:AAHstormBenchToken', chatId: '-1001234567890' },
      wecom: { type: 'wecom', apiUrl: fakes.get('wecom')!.url, key: '693a91f6-7f0e-4c1b-9a3d-0ec2fa5e8b17' },
      dingtalk: { type: 'dingtalk', apiUrl: fakes.get('dingtalk')!.url, accessToken: 'b7a1c3e5d9f0246813579bdf02468ace' },
    },
  });
  // The gateway paces each channel as its type's folder says; the slowest sets the drain time.
  const paceMs = Math.max(...CHANNELS.map((name) => rateLimitFor(config.channels[name]!)?.durationMs ?? 0));
  // Every issue's digest waits for the window's end; each channel sends one message per paceMs.
  const expectedMs = Math.max(plan.windowMs, plan.issues * paceMs) + plan.issues * paceMs;
  const deadlineMs = Math.round(stormMs + expectedMs * 1.5 + 120_000);
  console.log(`expect ~${s(expectedMs)} until every first message and digest is sent; giving up after ${s(deadlineMs)}`);
  const gateway = await startGateway(config, { logStream, templatesDir: join(REPO, 'templates'), writeConsole: () => undefined });
  const watch = createQueueWatch(redis.url, PREFIX, CHANNELS);
  const memoryBefore = await redis.usedMemory();
  const started = Date.now();
  try {
    const storm = await runStorm({ url: `http://127.0.0.1:${gateway.port}`, events: plan.events, issues: plan.issues, ratePerS: plan.ratePerS, repoRoot: REPO }, (posted) =>
      console.log(`[${s(Date.now() - started).padStart(5)}] posted ${posted}/${plan.events}`),
    );
    const refused = [...storm.refused].map(([status, n]) => `${n}×${status}`).join(', ') || 'none';
    console.log(`storm posted in ${s(storm.durationMs)} (${Math.round(plan.events / (storm.durationMs / 1000))}/s); refused: ${refused}`);

    const drained = await watch.waitDrained(deadlineMs - (Date.now() - started), (pending) => {
      const sent = CHANNELS.map((c) => `${c} ${fakes.get(c)!.accepted.length} sent/${pending.get(c) ?? 0} pending`).join(' · ');
      console.log(`[${s(Date.now() - started).padStart(5)}] ${sent} · intake ${pending.get('intake') ?? 0}`);
    });
    const failed = await watch.failedCounts();
    const usedMemory = await redis.usedMemory();
    const figures = CHANNELS.map((channel) =>
      tallyChannel(channel, fakes.get(channel)!.accepted, storm.acked.get(channel) ?? [], { rateLimitAnswers: fakes.get(channel)!.rateLimited, failedJobs: failed.get(channel) ?? 0 }),
    );
    const missed = figures.flatMap((f) => missedTargets(f, plan));
    if (!drained) missed.push(`queues not drained within ${s(deadlineMs)}`);

    console.log(`\nstorm of ${plan.events} events over ${plan.issues} issues, window ${s(plan.windowMs)}, done in ${s(Date.now() - started)}:\n`);
    console.log(formatTable(figures));
    console.log(`\nRedis used_memory after: ${mib(usedMemory)} (${usedMemory} bytes; ${mib(memoryBefore)} before the storm; includes the retained completed jobs)`);
    const result = { plan, stormMs: storm.durationMs, drainedMs: Date.now() - started, refused: Object.fromEntries(storm.refused), figures, usedMemory, memoryBefore, missed };
    writeFileSync(join(artifacts, 'storm.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`gateway log: ${logPath}; figures: ${join(artifacts, 'storm.json')}`);
    console.log(missed.length === 0 ? 'all targets met' : `targets missed:\n  ${missed.join('\n  ')}`);
    return missed.length === 0 ? 0 : 1;
  } finally {
    await watch.close();
    await gateway.stop();
    await Promise.all([...fakes.values()].map((fake) => fake.close()));
    await redis.stop();
    logStream.end();
  }
}

interface Plan {
  events: number;
  issues: number;
  windowMs: number;
  ratePerS: number;
}

/** STORM_EVENTS, STORM_ISSUES, STORM_WINDOW (a duration), STORM_RATE (requests per second). */
function settings(env: NodeJS.ProcessEnv): Plan {
  const count = (name: string, fallback: number) => countSetting(env, name, fallback);
  const windowMs = parseDuration(env.STORM_WINDOW ?? '90s');
  if (windowMs === undefined || windowMs < 1000) throw new Error(`STORM_WINDOW must be a duration of 1s or more (e.g. 60s, 2m), not "${env.STORM_WINDOW}"`);
  const plan = { events: count('STORM_EVENTS', 10_000), issues: count('STORM_ISSUES', 50), windowMs, ratePerS: count('STORM_RATE', 167) };
  if (plan.events < plan.issues) throw new Error('STORM_EVENTS must be at least STORM_ISSUES');
  // Each issue's window opens with its first event; the storm must end inside it, or a second
  // window (a second first message per issue) is the correct outcome and the targets do not apply.
  const stormMs = (plan.events / plan.ratePerS) * 1000;
  if (stormMs > plan.windowMs * 0.8) {
    throw new Error(`${plan.events} events at ${plan.ratePerS}/s take ${s(stormMs)}, longer than 80% of the ${s(plan.windowMs)} window: raise STORM_WINDOW or STORM_RATE`);
  }
  return plan;
}

runBench('storm', main);
