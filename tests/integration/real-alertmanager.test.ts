import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { findFreePort } from '../support/free-port';
import { startHarness, type Harness } from '../support/gateway-harness';
import { stopChild } from '../support/stop-child';
import { shownText } from '../support/telegram-message';
import { waitFor } from '../support/wait-for';

// Our contract with Alertmanager proven against the real sender: its own webhook receiver,
// grouping, basic auth and resolve handling, not only our reading of its docs.
const BINARY = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';
const USER = 'am-e2e';
const PASSWORD = 'am-e2e-pass-5d1c';

function alertmanagerConfig(gatewayUrl: string): string {
  // 0.25 (Debian bookworm) syntax; basic_auth inside http_config as in every release since 0.20.
  return `global:
  resolve_timeout: 5m
route:
  receiver: gateway
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: gateway
    webhook_configs:
      - url: ${gatewayUrl}/webhook/alertmanager
        send_resolved: true
        http_config:
          basic_auth:
            username: ${USER}
            password: ${PASSWORD}
`;
}

describe('a real Alertmanager delivering to the gateway', () => {
  let tg: FakeTelegram;
  let gw: Harness;
  let am: ChildProcess | undefined;
  let amUrl = '';
  let dir = '';
  const amOutput: string[] = [];

  beforeAll(async () => {
    if (!existsSync(BINARY)) {
      throw new Error(
        `${BINARY} is missing: install Alertmanager (Debian/Ubuntu: apt-get install prometheus-alertmanager; .ci/run does it) ` +
          'or point ALERTMANAGER_BIN at an alertmanager binary',
      );
    }
    tg = await startFakeTelegram();
    gw = await startHarness(
      {
        auth: { alertmanager: { username: USER, password: PASSWORD } },
        channels: { ops: { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), rateLimit: { max: 100, per: '1s' } } },
      },
      'real-am',
    );
    dir = mkdtempSync(join(tmpdir(), 'ngw-alertmanager-'));
    writeFileSync(join(dir, 'alertmanager.yml'), alertmanagerConfig(gw.url));
    const port = await findFreePort();
    amUrl = `http://127.0.0.1:${port}`;
    am = spawn(
      BINARY,
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.external-url=${amUrl}`,
        '--cluster.listen-address=',
        '--log.level=debug',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    am.stdout?.on('data', (chunk: Buffer) => amOutput.push(chunk.toString()));
    am.stderr?.on('data', (chunk: Buffer) => amOutput.push(chunk.toString()));
    await waitFor(
      async () => {
        if (am?.exitCode !== null) throw new Error(`alertmanager exited with ${am?.exitCode}:\n${amOutput.join('')}`);
        return (await fetch(`${amUrl}/-/ready`).catch(() => undefined))?.ok;
      },
      'Alertmanager to be ready',
      15_000,
    );
  }, 30_000);

  afterAll(async () => {
    if (am) await stopChild(am);
    await gw?.stop();
    await tg?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function pushAlert(alert: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${amUrl}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([alert]) });
    if (!res.ok) throw new Error(`Alertmanager refused the alert: ${res.status} ${await res.text()}`);
  }

  it('when an alert fires and then resolves, then the fake Telegram receives a firing and a resolved message', async () => {
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const alert = {
      labels: { alertname: 'E2EDiskFull', severity: 'critical', instance: 'db-e2e-1:9100', job: 'node' },
      annotations: { summary: 'Disk /var/lib/postgresql is 97% full on db-e2e-1', description: 'Less than 3% left; <writes> will fail soon & loudly.' },
      startsAt,
      generatorURL: 'http://prometheus.e2e:9090/graph?g0.expr=disk_used%3E0.95',
    };
    await pushAlert(alert);
    const [firing] = await tg.waitForRequests(1, 20_000).catch((err: Error) => {
      throw new Error(`${err.message}\nAlertmanager said:\n${amOutput.join('').slice(-3000)}\nGateway said:\n${gw.logs.slice(-20).join('\n')}`);
    });
    const firingText = shownText(firing!.body);
    expect(firingText).toMatch(/FIRING · critical · E2EDiskFull/);
    expect(firingText).toContain('Disk /var/lib/postgresql is 97% full on db-e2e-1');
    expect(firingText).toContain('Less than 3% left; <writes> will fail soon & loudly.');

    await pushAlert({ ...alert, endsAt: new Date(Date.now() - 1000).toISOString() });
    const requests = await tg.waitForRequests(2, 20_000);
    const resolvedText = shownText(requests[1]!.body);
    expect(resolvedText).toMatch(/RESOLVED · critical · E2EDiskFull/);
    expect(resolvedText).toContain('Disk /var/lib/postgresql is 97% full on db-e2e-1');

    // Basic auth worked: the gateway refused nothing Alertmanager sent.
    await gw.waitForLog(/Alertmanager -> ops sent "Disk \/var\/lib\/postgresql is 97% full on db-e2e-1".*key=alertmanager:[\w-]{43}(\s|$)/);
    expect(gw.logs.filter((line) => /rejected/.test(line))).toEqual([]);
  }, 60_000);

  it('when someone posts to the same route without the basic auth Alertmanager uses, then 401', async () => {
    const res = await fetch(`${gw.url}/webhook/alertmanager`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="notification-gateway"');
  });
});
