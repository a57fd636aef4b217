import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import { alertGroup } from '../support/alert-burst';
import { ADMIN_TOKEN, WEBHOOK_TOKEN, startReloadableGateway, type ReloadableGateway } from '../support/reloadable-gateway';
import { testRedisUrl } from '../support/test-redis';
import { waitFor } from '../support/wait-for';

const postAlerts = (gw: ReloadableGateway, ...names: string[]) => request(gw.url).post('/webhook/alertmanager').set('authorization', `Bearer ${WEBHOOK_TOKEN}`).send(alertGroup(names));
const reload = (gw: ReloadableGateway) => request(gw.url).post('/-/reload').set('authorization', `Bearer ${ADMIN_TOKEN}`);
const metric = async (gw: ReloadableGateway, name: string) => {
  const text = (await request(gw.url).get('/metrics')).text;
  return Number(new RegExp(`^notification_gateway_${name} (\\S+)$`, 'm').exec(text)?.[1]);
};

describe('reloading the configuration without a restart', () => {
  let gw: ReloadableGateway;
  afterEach(async () => gw?.stop());

  it('when the file routes alerts to a new channel and POST /-/reload is called, then the next webhook is delivered there', async () => {
    gw = await startReloadableGateway(['channels:', '  first: { type: console }'], 'reload-valid');
    expect((await postAlerts(gw, 'BeforeReload')).status).toBe(202);
    await gw.waitForPrinted(/\[first\] .*BeforeReload/, 'the alert sent before the reload');

    gw.writeConfig(['channels:', '  first: { type: console }', '  second: { type: console }', 'routes:', '  - { match: { source: alertmanager }, channels: [second] }']);
    const answer = await reload(gw);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ reloaded: true, channels: ['first', 'second'], restartNeeded: [] });

    expect((await postAlerts(gw, 'AfterReload')).status).toBe(202);
    await gw.waitForPrinted(/\[second\] .*AfterReload/, 'the alert sent after the reload, on the new channel');
    expect(gw.printed.filter((text) => text.includes('AfterReload') && text.includes('[first]'))).toEqual([]);
    expect(await metric(gw, 'config_last_reload_successful')).toBe(1);
    expect(await metric(gw, 'config_last_reload_success_timestamp_seconds')).toBeGreaterThan(0);
  }, 30_000);

  it('when the new file names a channel that does not exist, then the reload answers 400 with the problem and the old routing keeps working', async () => {
    gw = await startReloadableGateway(['channels:', '  first: { type: console }'], 'reload-invalid');
    const before = await metric(gw, 'config_last_reload_success_timestamp_seconds');
    gw.writeConfig(['channels:', '  first: { type: console }', 'routes:', '  - { match: { source: alertmanager }, channels: [nope] }']);

    const answer = await reload(gw);

    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_config');
    expect(answer.body.error.message).toMatch(/^Invalid configuration \(GATEWAY_CONFIG=.*gateway\.yaml\):$/);
    expect(answer.body.error.problems).toEqual(['routes.0.channels.0: no channel named "nope"']);
    expect(await metric(gw, 'config_last_reload_successful')).toBe(0);
    expect(await metric(gw, 'config_last_reload_success_timestamp_seconds')).toBe(before);
    expect((await postAlerts(gw, 'StillRouted')).status).toBe(202);
    await gw.waitForPrinted(/\[first\] .*StillRouted/, 'the alert on the channel of the old configuration');
  }, 30_000);

  it('when the reload adds a digest route and a mention rule, then the next webhooks are held for the summary or mention the person', async () => {
    gw = await startReloadableGateway(['channels:', '  ops: { type: console }', '  quiet: { type: console }', 'routes:', '  - { match: {}, channels: [ops] }'], 'reload-policy');
    gw.writeConfig([
      'channels:', '  ops: { type: console }', '  quiet: { type: console }',
      'people:', '  dba: { telegram: "@dba_oncall" }',
      'mentions:', '  - { match: { labels: { alertname: Mentioned } }, people: [dba] }',
      'routes:', '  - { match: { labels: { alertname: Held } }, channels: [quiet], digest: 1h }', '  - { match: {}, channels: [ops] }',
    ]);
    expect((await reload(gw)).status).toBe(200);

    expect((await postAlerts(gw, 'Held')).status).toBe(202);
    expect((await postAlerts(gw, 'Mentioned')).status).toBe(202);
    const mentioned = await gw.waitForPrinted(/\[ops\] .*Mentioned/, 'the alert after the reload, with its mention');
    expect(mentioned).toContain('mentions: dba');
    await waitFor(() => gw.logs.find((line) => /suppressed .*Held.*digested: in summary/.test(line)), 'the Held alert kept for the new digest route');
    // Every matching route adds its channels: ops (no digest) still gets Held at once, quiet holds it.
    await gw.waitForPrinted(/\[ops\] .*Held/, 'Held on the route without a digest');
    expect(gw.printed.filter((text) => text.includes('[quiet]'))).toEqual([]);
  }, 30_000);

  it('when a channel\'s template is broken on line 3, then the reload is refused naming the channel, file and line, and the old template keeps rendering', async () => {
    gw = await startReloadableGateway(['channels:', '  ops: { type: console }'], 'reload-template');
    const template = join(gw.dir, 'ops.hbs');
    writeFileSync(template, '{{title}}\n{{url}}\n{{#if url}}link{{/each}}\n');
    gw.writeConfig(['channels:', `  ops: { type: console, template: "${template}" }`]);

    const answer = await reload(gw);

    expect(answer.status).toBe(400);
    expect(answer.body.error.problems).toHaveLength(1);
    expect(answer.body.error.problems[0]).toContain(`template of channel "ops" (${template}, line 3)`);
    expect(answer.body.error.problems[0]).toMatch(/if doesn't match each/);
    expect((await postAlerts(gw, 'OldTemplate')).status).toBe(202);
    await gw.waitForPrinted(/\[ops\] .*OldTemplate/, 'the alert rendered with the default template');
  }, 30_000);

  it('when a channel with waiting jobs is removed, then its worker stops and the jobs stay in Redis until it is configured again; an unchanged channel delivers what was queued before the reload', async () => {
    gw = await startReloadableGateway([
      'channels:',
      // One message per hour: after the first, the rest wait in the queue.
      '  slow: { type: console, rateLimit: { max: 1, per: 1h } }',
      '  steady: { type: console, rateLimit: { max: 1, per: 200ms } }',
    ], 'reload-remove');
    expect((await postAlerts(gw, 'Q1', 'Q2', 'Q3')).status).toBe(202);
    await gw.waitForPrinted(/\[slow\] .*Q\d/, 'the one message the slow channel may send');
    const slowQueue = new Queue('deliver.slow', { connection: { url: testRedisUrl() }, prefix: gw.prefix });
    try {
      await waitFor(async () => (await slowQueue.getWaitingCount()) + (await slowQueue.getDelayedCount()) === 2, 'two jobs waiting for the slow channel');

      gw.writeConfig(['channels:', '  steady: { type: console, rateLimit: { max: 1, per: 200ms } }']);
      const answer = await reload(gw);

      expect(answer.status).toBe(200);
      expect(answer.body.channels).toEqual(['steady']);
      for (const name of ['Q1', 'Q2', 'Q3']) await gw.waitForPrinted(new RegExp(`\\[steady\\] .*${name}`), `${name} on the unchanged channel`);
      expect(gw.logs.some((line) => /channel "slow" removed: its worker stopped; 2 waiting job\(s\) stay in Redis/.test(line))).toBe(true);
      expect((await slowQueue.getWaitingCount()) + (await slowQueue.getDelayedCount())).toBe(2);
      expect(gw.printed.filter((text) => text.startsWith('=== [slow]'))).toHaveLength(1);

      // Configured again (unthrottled): its worker sends what waited.
      gw.writeConfig(['channels:', '  slow: { type: console }', '  steady: { type: console, rateLimit: { max: 1, per: 200ms } }']);
      expect((await reload(gw)).status).toBe(200);
      await waitFor(() => gw.printed.filter((text) => text.startsWith('=== [slow]')).length === 3, 'the two waiting jobs sent once the channel is back');
    } finally {
      await slowQueue.close();
    }
  }, 30_000);

  it('when a setting that needs a restart changed, then the rest is reloaded and the answer names that setting', async () => {
    gw = await startReloadableGateway(['channels:', '  first: { type: console }'], 'reload-restart');
    gw.writeConfig(['dedup: { window: 1m }', 'channels:', '  first: { type: console }', '  second: { type: console }']);

    const answer = await reload(gw);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ reloaded: true, channels: ['first', 'second'], restartNeeded: ['dedup'] });
    expect(gw.logs.some((line) => /dedup changed; these keep their running value until the next start/.test(line))).toBe(true);
  }, 30_000);

  it('when /-/reload comes without the admin token, then it is refused with 401 and nothing is reloaded', async () => {
    gw = await startReloadableGateway(['channels:', '  first: { type: console }'], 'reload-auth');
    gw.writeConfig(['channels:', '  first: { type: console }', 'routes:', '  - { match: { source: alertmanager }, channels: [nope] }']);

    const answer = await request(gw.url).post('/-/reload').set('authorization', 'Bearer wrong-token-0123456789');

    expect(answer.status).toBe(401);
    expect(await metric(gw, 'config_last_reload_successful')).toBe(1);
  }, 30_000);
});
