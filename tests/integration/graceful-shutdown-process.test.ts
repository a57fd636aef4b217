import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertGroup } from '../support/alert-burst';
import type { GatewayProcess } from '../support/gateway-process';
import { gatewayProcessesPerTest } from '../support/gateway-processes-per-test';
import { waitFor } from '../support/wait-for';

/**
 * The documented bound (README, "Shutdown"): after SIGTERM the process exits within shutdownGrace
 * plus this margin (aborted deliveries hand their jobs back, then queues and Redis close).
 */
const SHUTDOWN_MARGIN_MS = 3000;
const ARTIFACTS = process.env.ARTIFACTS_DIR ?? join(__dirname, '..', '..', 'artifacts');

function settings(shutdownGrace: string): string[] {
  return [
    // A hung request is ended by shutdown, not by its own timeout.
    'delivery: { attempts: 5, backoff: 50ms, timeout: 60s }',
    `shutdownGrace: ${shutdownGrace}`,
  ];
}

function postAlerts(url: string, names: string[]): Promise<Response> {
  return fetch(`${url}/webhook/alertmanager`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(alertGroup(names)) });
}

/**
 * Posts alerts one after another until the gateway stops answering. 202 means stored in Redis;
 * a refused connection is what a sender sees after the port closed, and it would retry later.
 */
async function send(url: string, name: string) {
  const acknowledged: string[] = [];
  const answeredAt: number[] = [];
  for (let i = 0; ; i += 1) {
    let res: Response;
    try {
      res = await postAlerts(url, [`${name}${i}`]);
    } catch (err) {
      const refusedWith = String((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message);
      return { acknowledged, refusedWith, acknowledgedAfter: (t: number) => answeredAt.filter((at) => at >= t).length };
    }
    if (res.status !== 202) throw new Error(`unexpected answer ${res.status}: ${await res.text()}`);
    acknowledged.push(...((await res.json()) as { jobs: Array<{ id: string }> }).jobs.map((job) => job.id));
    answeredAt.push(Date.now());
  }
}

function record(name: string, value: unknown): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, name), `${JSON.stringify(value, null, 2)}\n`);
}

describe('signals to a gateway process', () => {
  const gateways = gatewayProcessesPerTest('signals');

  function start(grace: string): Promise<GatewayProcess> {
    return gateways.start(gateways.writeConfig(...settings(grace)));
  }

  it('when SIGTERM arrives during a burst, then the process exits within the grace period and every acknowledged alert is delivered', async () => {
    const { tg } = gateways;
    const graceMs = 1000;
    const first = await start(`${graceMs}ms`);
    // Two deliveries hang at the provider: they are in flight when the signal comes.
    tg.script('hang', 'hang');

    // Four senders post one alert after another, on kept-alive connections, until the gateway is gone.
    const senders = Array.from({ length: 4 }, (_, k) => send(first.url, `Burst${k}x`));
    await tg.waitForRequests(2);
    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    const exitMs = exit.at - signalledAt;
    const sent = await Promise.all(senders);

    expect(exit.code).toBe(0);
    expect(exitMs).toBeLessThan(graceMs + SHUTDOWN_MARGIN_MS);
    expect(first.logs.map((l) => l.message)).toEqual(expect.arrayContaining([
      `SIGTERM received: finishing running deliveries (up to ${graceMs} ms)`,
      `deliveries still running after ${graceMs} ms; aborting them, they will be retried`,
    ]));

    const acknowledged = sent.flatMap((s) => s.acknowledged);
    const afterSignal = sent.reduce((n, s) => n + s.acknowledgedAfter(signalledAt), 0);
    expect(acknowledged.length).toBeGreaterThan(0);

    const second = await start(`${graceMs}ms`);
    const undelivered = () =>
      Promise.all(acknowledged.map(async (id) => ((await (await fetch(`${second.url}/deliveries/${id}`)).json()) as { status?: string }).status === 'completed'))
        .then((done) => acknowledged.filter((_, i) => !done[i]));
    await waitFor(async () => (await undelivered()).length === 0, 'every acknowledged alert to be delivered', 20_000);
    const sentBeforeExit = first.logs.filter((l) => l.outcome === 'sent').length;
    record('graceful-shutdown.json', {
      shutdownGraceMs: graceMs,
      exitMsAfterSigterm: exitMs,
      acknowledged: acknowledged.length,
      acknowledgedAfterSigterm: afterSignal,
      refused: sent.map((s) => s.refusedWith),
      sentBeforeExit,
      sentAfterRestart: second.logs.filter((l) => l.outcome === 'sent').length,
    });
  }, 60_000);

  it('when a second signal arrives while deliveries finish, then the process exits at once', async () => {
    const { tg } = gateways;
    const graceMs = 30_000;
    const gateway = await start(`${graceMs}ms`);
    tg.script('hang');
    expect((await postAlerts(gateway.url, ['HungAlert'])).status).toBe(202);
    await tg.waitForRequests(1);

    gateway.child.kill('SIGTERM');
    await gateway.waitForLog((l) => l.message.startsWith('SIGTERM received'), 'the first signal to be taken');
    const secondAt = Date.now();
    gateway.child.kill('SIGINT');
    const exit = await gateway.exited;

    expect(exit.code).toBe(1);
    expect(gateway.logs.map((l) => l.message)).toContain('SIGINT again: exiting now');
    // "At once": long before the 30 s grace period the first signal granted.
    expect(exit.at - secondAt).toBeLessThan(2000);
    record('second-signal.json', { shutdownGraceMs: graceMs, exitMsAfterSecondSignal: exit.at - secondAt });
  }, 60_000);
});
