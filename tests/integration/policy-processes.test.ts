import { Queue } from 'bullmq';
import type { FakeTelegramRequest } from '../fakes/fake-telegram';
import { gatewayProcessesPerTest, type GatewayProcessesPerTest } from '../support/gateway-processes-per-test';
import type { GatewayProcess } from '../support/gateway-process';
import { postGroup, repeats, type IssueAlert } from '../support/policy-alerts';
import { shownText } from '../support/telegram-message';
import { testRedisUrl } from '../support/test-redis';
import { waitFor } from '../support/wait-for';

const PERIOD_MS = 20_000;
// Jobs of a killed process are taken over after 2 s instead of BullMQ's 30 s.
const SETTINGS = ['delivery: { backoff: 100ms, stalledInterval: 2s }', 'routes:', `  - { match: { severity: warning }, channels: [ops], digest: ${PERIOD_MS / 1000}s }`];
const ALERTS: IssueAlert[] = [...repeats('DiskFilling', 'warning', 12), ...repeats('HighLatency', 'warning', 10), ...repeats('CertExpiring', 'warning', 3)];

const summaries = (requests: readonly FakeTelegramRequest[]) => requests.map((r) => shownText(r.body)).filter((text) => text.startsWith('📋 DIGEST'));

/**
 * Digest periods are multiples of the period since the epoch, and a process's clock cannot be
 * moved from here: wait for a period to begin, so every alert of the test falls in one.
 */
async function atPeriodStart(): Promise<void> {
  await waitFor(() => Date.now() % PERIOD_MS < 2000, 'the start of a digest period', PERIOD_MS + 5000);
}

/** Every alert is recorded in its bucket once a process logs it as held (digested). */
async function heldCount(processes: readonly GatewayProcess[]): Promise<number> {
  return processes.flatMap((p) => p.logs).filter((l) => l.outcome === 'suppressed' && String(l.reason).startsWith('digested')).length;
}

async function summaryJobStates(gateways: GatewayProcessesPerTest): Promise<string[]> {
  const queue = new Queue('deliver.ops', { connection: { url: testRedisUrl() }, prefix: gateways.prefix });
  try {
    const jobs = (await queue.getJobs(['delayed', 'waiting', 'active', 'completed', 'failed'])).filter((job) => job.name === 'summary');
    return Promise.all(jobs.map((job) => job.getState()));
  } finally {
    await queue.close();
  }
}

describe('digest summaries across processes', () => {
  const gateways = gatewayProcessesPerTest('policy');

  it('when the process is killed with kill -9 mid-period, then a restarted one sends the summary once, with every alert', async () => {
    const { tg } = gateways;
    const env = gateways.writeConfig(...SETTINGS);
    const first = await gateways.start(env);
    await atPeriodStart();
    await postGroup(first.url, ALERTS);
    await waitFor(async () => (await heldCount([first])) === ALERTS.length, 'every alert held for the digest');
    expect(await summaryJobStates(gateways)).toEqual(['delayed']);

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const second = await gateways.start(env);

    await waitFor(() => summaries(tg.requests).length > 0, 'the summary', PERIOD_MS + 10_000);
    await waitFor(async () => (await summaryJobStates(gateways)).join() === 'completed', 'the summary job to complete');
    const [summary] = summaries(tg.requests);
    expect(summaries(tg.requests)).toHaveLength(1);
    expect(summary).toMatch(/^📋 DIGEST · 25 alerts · 3 issues\n/);
    expect(summary).toContain('DiskFilling on checkout-api ×12');
    expect(second.logs.some((l) => l.outcome === 'sent' && l.title === 'summary (digest 20s)' && l.digest === 25)).toBe(true);
  }, 90_000);

  it('when three worker processes share Redis, then the summary is sent once', async () => {
    const { tg } = gateways;
    const env = gateways.writeConfig(...SETTINGS);
    const processes = await Promise.all([gateways.start(env), gateways.start(env), gateways.start(env)]);
    await atPeriodStart();
    // Each process takes a third of the alerts and schedules the summary itself.
    await Promise.all(processes.map((p, i) => postGroup(p.url, ALERTS.filter((_, j) => j % 3 === i))));
    await waitFor(async () => (await heldCount(processes)) === ALERTS.length, 'every alert held for the digest');

    await waitFor(() => summaries(tg.requests).length > 0, 'the summary', PERIOD_MS + 10_000);
    await waitFor(async () => (await summaryJobStates(gateways)).join() === 'completed', 'the summary job to complete');
    expect(summaries(tg.requests)).toHaveLength(1);
    expect(summaries(tg.requests)[0]).toMatch(/^📋 DIGEST · 25 alerts · 3 issues\n/);
    const sentBy = processes.filter((p) => p.logs.some((l) => l.outcome === 'sent' && l.title === 'summary (digest 20s)'));
    expect(sentBy).toHaveLength(1);
  }, 90_000);
});
