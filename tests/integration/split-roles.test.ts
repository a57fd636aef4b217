import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { alertGroup, namesIn } from '../support/alert-burst';
import { buildGateway, startGatewayProcess, type BuiltGateway, type GatewayProcess } from '../support/gateway-process';
import { removeKeys, testRedisUrl, uniquePrefix } from '../support/test-redis';
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
  let built: BuiltGateway;
  let tg: FakeTelegram;
  let dir: string;
  let prefix: string;
  const processes: GatewayProcess[] = [];

  beforeAll(async () => {
    built = await buildGateway();
  }, 120_000);
  afterAll(() => built?.remove());

  beforeEach(async () => {
    tg = await startFakeTelegram();
    dir = mkdtempSync(join(tmpdir(), 'ngw-split-'));
    prefix = uniquePrefix('split');
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    await tg.close();
    rmSync(dir, { recursive: true, force: true });
    await removeKeys(prefix);
  });

  it('when one api and two workers share one Redis, then every alert is delivered exactly once', async () => {
    // Paced far above the burst, so the test measures the roles, not Telegram's group limit.
    const configFile = join(dir, 'gateway.yaml');
    writeFileSync(configFile, [
      'redis: { url: "${REDIS_URL}", prefix: "${REDIS_PREFIX}" }',
      'delivery: { attempts: 3, backoff: 50ms, timeout: 5s }',
      'channels:',
      `  ops: { type: telegram, apiUrl: "${tg.url}", botToken: "\${TG_TOKEN}", chatId: "${FAKE_TELEGRAM_CHAT.id}", rateLimit: { max: 1000, per: 1s } }`,
      '',
    ].join('\n'));
    const env = { GATEWAY_CONFIG: configFile, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix, TG_TOKEN: FAKE_TELEGRAM_TOKEN, WORKER_CONCURRENCY: '4' };
    const api = await startGatewayProcess(built, { ...env, ROLE: 'api' });
    processes.push(api);
    const workers = [await startGatewayProcess(built, { ...env, ROLE: 'worker' }), await startGatewayProcess(built, { ...env, ROLE: 'worker' })];
    processes.push(...workers);
    for (const p of processes) await waitFor(async () => (await fetch(`${p.url}/ready`)).ok, `${p.url}/ready`);

    // The startup line says what each process is.
    expect(api.logs[api.logs.length - 1]).toMatchObject({ role: 'api', workers: 'off', channels: 'ops(telegram)', routes: '0 (every channel gets every alert)' });
    for (const worker of workers) expect(worker.logs.find((l) => l.role)).toMatchObject({ role: 'worker', workers: 'concurrency 4 per channel' });
    // Workers take no webhooks; every role serves /metrics.
    expect((await fetch(`${workers[0]!.url}/webhook/alertmanager`, { method: 'POST' })).status).toBe(404);

    const names = Array.from({ length: ALERTS }, (_, i) => `SplitRoleAlert${String(i).padStart(3, '0')}`);
    const jobIds: string[] = [];
    for (let i = 0; i < ALERTS; i += PER_REQUEST) {
      const res = await fetch(`${api.url}/webhook/alertmanager`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(alertGroup(names.slice(i, i + PER_REQUEST))),
      });
      expect(res.status).toBe(202);
      jobIds.push(...((await res.json()) as { jobs: Array<{ id: string }> }).jobs.map((job) => job.id));
    }
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
