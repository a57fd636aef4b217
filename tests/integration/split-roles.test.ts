import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { namesIn } from '../support/alert-burst';
import type { GatewayProcess } from '../support/gateway-process';
import { gatewayProcessesPerTest } from '../support/gateway-processes-per-test';
import { postAlertGroups } from '../support/post-alert-groups';
import { waitFor } from '../support/wait-for';

const ALERTS = 60;
const PER_REQUEST = 10;
const NAME = /SplitRoleAlert\d{3}/;
const ARTIFACTS = process.env.ARTIFACTS_DIR ?? join(__dirname, '..', '..', 'artifacts');

/** The value of one series in a /metrics answer. */
async function metric(url: string, series: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`notification_gateway_${series} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('ROLE=api and ROLE=worker in separate processes', () => {
  const gateways = gatewayProcessesPerTest('split');

  it('when one api and two workers share one Redis, then every alert is delivered exactly once', async () => {
    const { tg } = gateways;
    // The channel is paced far above the burst, so the test measures the roles, not Telegram's group limit.
    const env = { ...gateways.writeConfig('delivery: { attempts: 3, backoff: 50ms, timeout: 5s }'), WORKER_CONCURRENCY: '4' };
    const api = await gateways.start({ ...env, ROLE: 'api' });
    const workers = [await gateways.start({ ...env, ROLE: 'worker' }), await gateways.start({ ...env, ROLE: 'worker' })];
    for (const p of [api, ...workers]) await waitFor(async () => (await fetch(`${p.url}/ready`)).ok, `${p.url}/ready`);

    // The startup line says what each process is.
    expect(api.logs[api.logs.length - 1]).toMatchObject({ role: 'api', workers: 'off', channels: 'ops(telegram)', routes: '0 (every channel gets every alert)' });
    for (const worker of workers) expect(worker.logs.find((l) => l.role)).toMatchObject({ role: 'worker', workers: 'concurrency 4 per channel' });
    // Workers take no webhooks; every role serves /metrics.
    expect((await fetch(`${workers[0]!.url}/webhook/alertmanager`, { method: 'POST' })).status).toBe(404);

    const names = Array.from({ length: ALERTS }, (_, i) => `SplitRoleAlert${String(i).padStart(3, '0')}`);
    const jobIds = await postAlertGroups(api.url, names, PER_REQUEST);
    expect(new Set(jobIds).size).toBe(ALERTS);

    // Done when Redis says every job completed and nothing is left waiting, delayed or active.
    await waitFor(async () => (await metric(api.url, 'queue_jobs{queue="deliver.ops",state="completed"}')) === ALERTS, `${ALERTS} completed jobs`, 30_000);
    for (const state of ['waiting', 'delayed', 'active', 'failed']) expect(await metric(api.url, `queue_jobs{queue="deliver.ops",state="${state}"}`)).toBe(0);

    const delivered = tg.requests.flatMap((r) => namesIn(r.body, NAME));
    expect(tg.requests).toHaveLength(ALERTS);
    expect([...delivered].sort()).toEqual(names);

    // Only the workers delivered, and their "sent" lines add up to the alerts.
    const sentBy = (p: GatewayProcess) => p.logs.filter((l) => l.outcome === 'sent').length;
    expect(sentBy(api)).toBe(0);
    const perWorker = workers.map(sentBy);
    expect(perWorker[0]! + perWorker[1]!).toBe(ALERTS);
    // Both were ready before the first alert and each has 4 slots: both take a share (about 30 each).
    expect(Math.min(...perWorker)).toBeGreaterThan(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'split-roles.json'), `${JSON.stringify({ alerts: ALERTS, telegramRequests: tg.requests.length, sentPerWorker: perWorker }, null, 2)}\n`);
  }, 90_000);
});
