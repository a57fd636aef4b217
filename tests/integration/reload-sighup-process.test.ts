import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertGroup } from '../support/alert-burst';
import { buildGateway, startGatewayProcess, type BuiltGateway, type GatewayProcess } from '../support/gateway-process';
import { removeKeys, testRedisUrl, uniquePrefix } from '../support/test-redis';

function postAlert(url: string, name: string): Promise<Response> {
  return fetch(`${url}/webhook/alertmanager`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(alertGroup([name])) });
}

describe('kill -HUP on the built gateway', () => {
  let built: BuiltGateway | undefined;
  let gateway: GatewayProcess | undefined;
  let dir: string;
  const prefix = uniquePrefix('sighup');
  beforeAll(async () => {
    built = await buildGateway();
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
    built?.remove();
    rmSync(dir, { recursive: true, force: true });
    await removeKeys(prefix);
  });

  it('when the config file is edited and the process gets SIGHUP, then routing changes with no restart; a broken edit is refused and routing stays', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ngw-sighup-'));
    const file = join(dir, 'gateway.yaml');
    const write = (lines: string[]) => writeFileSync(file, ['redis: { url: "${REDIS_URL}", prefix: "${REDIS_PREFIX}" }', ...lines, ''].join('\n'));
    write(['channels:', '  first: { type: console }']);
    gateway = await startGatewayProcess(built!, { GATEWAY_CONFIG: file, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix });
    const pid = gateway.child.pid!;

    write(['channels:', '  first: { type: console }', '  second: { type: console }', 'routes:', '  - { match: { source: alertmanager }, channels: [second] }']);
    gateway.child.kill('SIGHUP');
    await gateway.waitForLog((entry) => entry.message === 'SIGHUP: configuration reloaded; channels: first, second', 'the reload line');
    expect((await postAlert(gateway.url, 'AfterHup')).status).toBe(202);
    const sent = await gateway.waitForLog((entry) => /^Alertmanager -> \S+ sent/.test(entry.message) && JSON.stringify(entry).includes('AfterHup'), 'the delivery line');
    expect(sent.message).toMatch(/^Alertmanager -> second sent/);

    write(['channels:', '  first: { type: console }', 'routes:', '  - { match: { source: alertmanager }, channels: [gone] }']);
    gateway.child.kill('SIGHUP');
    const refused = await gateway.waitForLog((entry) => /^SIGHUP: configuration reload refused/.test(entry.message), 'the refusal line');
    expect(refused.message).toContain('routes.0.channels.0: no channel named "gone"');
    expect((await postAlert(gateway.url, 'AfterBadHup')).status).toBe(202);
    const stillSent = await gateway.waitForLog((entry) => /^Alertmanager -> \S+ sent/.test(entry.message) && JSON.stringify(entry).includes('AfterBadHup'), 'the delivery line after the refused reload');
    expect(stillSent.message).toMatch(/^Alertmanager -> second sent/);
    expect(gateway.child.pid).toBe(pid);
    expect(gateway.child.exitCode).toBeNull();
  }, 60_000);
});
