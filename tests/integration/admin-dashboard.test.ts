import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { fakeTelegramChannel } from '../support/fake-telegram-channel';
import { telegramGatewayPerTest } from '../support/telegram-gateway-per-test';
import { waitFor } from '../support/wait-for';
import { sampleAlertmanagerPayload } from '../../src/ingest/operator/samples';

const ADMIN_TOKEN = 'admin-token-for-the-dashboard-test';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = process.env.ARTIFACTS_DIR ?? join(ROOT, 'artifacts');

function chromiumPath(): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: the dashboard test drives a real headless browser. ` +
        'Install it (Debian/Ubuntu: apt-get install -y chromium; .ci/run does this) or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  return CHROMIUM;
}

async function screenshot(page: Page, name: string, options: { forReadme?: boolean } = {}): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
  // The README's picture is refreshed on request only, so a test run never dirties the tree.
  if (options.forReadme && process.env.UPDATE_DOCS_SCREENSHOTS === '1') await page.screenshot({ path: join(ROOT, 'docs', name), fullPage: true });
}

describe('queue dashboard at /admin/queues', () => {
  const suite = telegramGatewayPerTest();

  it('when no admin token is configured, then the dashboard does not exist', async () => {
    const gw = await suite.startGateway({ auth: { token: 'only-a-webhook-token' } });
    await request(gw.url).get('/admin/queues').expect(404);
    await request(gw.url).get('/admin/queues/api/queues').set('Authorization', 'Bearer only-a-webhook-token').expect(404);
  });

  it('when an admin token is configured, then the dashboard asks for it with a basic-auth challenge and takes it as bearer or password', async () => {
    const gw = await suite.startGateway({ auth: { adminToken: ADMIN_TOKEN } });
    const refused = await request(gw.url).get('/admin/queues').expect(401);
    expect(refused.headers['www-authenticate']).toBe('Basic realm="notification-gateway admin", charset="UTF-8"');
    await request(gw.url).get('/admin/queues').auth('ops', 'wrong').expect(401);
    await request(gw.url).get('/admin/queues/api/queues').query({ token: 'wrong' }).expect(401);
    const api = await request(gw.url).get('/admin/queues/api/queues').set('Authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    expect((api.body as { queues: Array<{ name: string }> }).queues.map((q) => q.name)).toEqual(['deliver.console']);
    const page = await request(gw.url).get('/admin/queues').auth('anyone', ADMIN_TOKEN).expect(200);
    expect(page.text).toContain('<title>notification-gateway</title>');
  });

  describe('in a real headless Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      // Chromium refuses to run as root with its sandbox, which is how CI containers run.
      browser = await chromium.launch({ executablePath: chromiumPath(), args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('when an operator logs in, then the page lists the delivery queues and a failed job is retried from it', async () => {
      const { tg } = suite;
      const gw = await suite.startGateway({ auth: { adminToken: ADMIN_TOKEN, allowOpen: ['/webhook/alertmanager'] }, channels: { ops: fakeTelegramChannel(tg), console: { type: 'console' } } });
      tg.script('chatNotFound');
      const first = await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);
      const failed = (first.body as { jobs: Array<{ id: string; channel: string }> }).jobs.find((job) => job.channel === 'ops')!;
      await gw.waitForLog(/Alertmanager -> ops failed .*chat not found/);
      for (let i = 0; i < 2; i += 1) await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);
      await waitFor(() => tg.requests.length === 3, 'the two later alerts sent to Telegram');

      const context = await browser.newContext({ httpCredentials: { username: 'ops', password: ADMIN_TOKEN }, viewport: { width: 1280, height: 400 } });
      try {
        const page = await context.newPage();
        await page.goto(`${gw.url}/admin/queues`);
        for (const name of ['deliver.ops', 'deliver.console']) await page.getByRole('link', { name }).first().waitFor();
        await page.getByText('FAILED', { exact: false }).first().waitFor();
        await screenshot(page, 'admin-queues.png', { forReadme: true });

        await page.goto(`${gw.url}/admin/queues/queue/deliver.ops?status=failed`);
        const card = page.locator('div[class*="card-"]', { has: page.getByText(failed.id, { exact: true }) });
        await card.getByText('Telegram 400: Bad Request: chat not found').waitFor();
        await card.locator('button:has(svg.lucide-refresh-cw)').click();
        const confirm = page.getByRole('button', { name: 'Confirm' });
        await confirm.click();
        await confirm.waitFor({ state: 'detached' });

        // The board put the job back in the queue; the worker sends it, and the failed list empties.
        await waitFor(async () => {
          const res = await request(gw.url).get(`/deliveries/${failed.id}`).set('Authorization', `Bearer ${ADMIN_TOKEN}`);
          return (res.body as { status?: string }).status === 'completed';
        }, 'the retried job to be sent');
        expect(tg.requests).toHaveLength(4);
        await card.waitFor({ state: 'detached', timeout: 15_000 });
        await screenshot(page, 'admin-queues-after-retry.png');
      } finally {
        await context.close();
      }
    }, 60_000);
  });
});
