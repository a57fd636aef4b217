import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { FakeTelegramRequest } from '../fakes/fake-telegram';
import { namesIn } from '../support/alert-burst';
import { gatewayProcessesPerTest } from '../support/gateway-processes-per-test';
import { postAlertGroups } from '../support/post-alert-groups';
import { testRedisUrl } from '../support/test-redis';
import { waitFor } from '../support/wait-for';

const ALERTS = 50;
const PER_REQUEST = 10;
const CONCURRENCY = 4;
const NAME = /CrashAlert\d{2}/;
const ARTIFACTS = process.env.ARTIFACTS_DIR ?? join(__dirname, '..', '..', 'artifacts');

// Retries come back fast; a hung request stays in flight until the kill; a killed process's
// jobs are taken over after 2 s instead of BullMQ's 30 s lock and stalled-check interval.
const DELIVERY = `delivery: { backoff: 100ms, timeout: 60s, concurrency: ${CONCURRENCY}, stalledInterval: 2s }`;

const namesOf = (requests: readonly FakeTelegramRequest[]) => requests.flatMap((r) => namesIn(r.body, NAME));

/** How often each name occurs. */
function tally(names: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

describe('kill -9 of the gateway process', () => {
  const gateways = gatewayProcessesPerTest('crash');
  let queue: Queue;

  beforeEach(() => {
    queue = new Queue('deliver.ops', { connection: { url: testRedisUrl() }, prefix: gateways.prefix });
  });
  afterEach(async () => {
    await queue.close();
  });

  it('when the process is killed while alerts are queued, delayed and in flight, then after a restart all are delivered and only in-flight ones may be doubled', async () => {
    const { tg } = gateways;
    const env = gateways.writeConfig(DELIVERY);
    const start = () => gateways.start(env);

    // The provider is down: every request gets nginx's 502 page.
    tg.respondWith('badGatewayHtml');
    const first = await start();
    const names = Array.from({ length: ALERTS }, (_, i) => `CrashAlert${String(i).padStart(2, '0')}`);
    const acknowledged = await postAlertGroups(first.url, names, PER_REQUEST);
    expect(new Set(acknowledged).size).toBe(ALERTS);
    // Every alert was tried and failed once: all 50 are delivery jobs waiting for a retry.
    await waitFor(() => new Set(namesOf(tg.requests)).size === ALERTS, 'a failed first attempt of every alert', 15_000);

    // Then the provider takes messages but never answers: every worker slot holds one in flight.
    const hangFrom = tg.requests.length;
    tg.respondWith('hang');
    await waitFor(() => tg.requests.length - hangFrom >= CONCURRENCY, `${CONCURRENCY} requests in flight`);
    const atKill = await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'completed', 'failed');
    first.child.kill('SIGKILL');
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    tg.respondWith('badGatewayHtml');
    const inFlight = tg.requests.slice(hangFrom);

    // Restarted on the same Redis prefix; then the provider comes back.
    const second = await start();
    const restartedAt = Date.now();
    const upFrom = tg.requests.length;
    tg.respondWith('ok');

    const counts = async () => queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'completed', 'failed');
    await waitFor(async () => (await counts()).completed === ALERTS, `${ALERTS} completed delivery jobs`, 30_000);
    const recoveredMs = Date.now() - restartedAt;
    const final = await counts();

    // A message in flight at the kill may have reached the chat: the worst case counts it as shown.
    const accepted = namesOf(tg.requests.slice(upFrom));
    const shown = tally([...namesOf(inFlight), ...accepted]);
    const duplicates = [...shown.values()].reduce((sum, n) => sum + n - 1, 0);
    const report = {
      alerts: ALERTS,
      concurrency: CONCURRENCY,
      jobsAtKill: atKill,
      inFlightAtKill: inFlight.length,
      providerRequests: tg.requests.length,
      acceptedAfterRestart: accepted.length,
      duplicateAcceptedAnswers: accepted.length - new Set(accepted).size,
      duplicates,
      duplicatedAlerts: [...shown].filter(([, n]) => n > 1).map(([name]) => name),
      msFromRestartToAllDelivered: recoveredMs,
      sentLinesAfterRestart: second.logs.filter((l) => l.outcome === 'sent').length,
    };
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'crash-safety.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`kill -9 with ${inFlight.length} in flight: ${duplicates} duplicate(s) of ${ALERTS} alerts; ${JSON.stringify(report)}`);

    // The kill came while jobs were in flight and others were waiting or delayed.
    expect(atKill.active).toBe(CONCURRENCY);
    expect((atKill.waiting ?? 0) + (atKill.delayed ?? 0) + (atKill.prioritized ?? 0)).toBe(ALERTS - CONCURRENCY);
    // None lost: every alert was accepted by the provider after the restart, and every job completed.
    expect([...new Set(accepted)].sort()).toEqual(names);
    expect(final).toEqual({ active: 0, waiting: 0, delayed: 0, prioritized: 0, completed: ALERTS, failed: 0 });
    // Only what was in flight at the kill can arrive twice.
    expect(inFlight.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(duplicates).toBeLessThanOrEqual(inFlight.length);
    expect(report.duplicateAcceptedAnswers).toBe(0);
  }, 60_000);
});
