import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import request from 'supertest';
import { alertGroup } from '../../support/alert-burst';
import { fakeTelegramChannel } from '../../support/fake-telegram-channel';
import type { Harness } from '../../support/gateway-harness';
import { eventWhen, outcomes } from '../../support/history-client';
import { telegramGatewayPerTest } from '../../support/telegram-gateway-per-test';
import { waitFor } from '../../support/wait-for';

const ADMIN_TOKEN = 'admin-token-for-the-history-page';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..', '..');
const ARTIFACTS = process.env.ARTIFACTS_DIR ?? join(ROOT, 'artifacts');
const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
  // The README's pictures are refreshed on request only, so a test run never dirties the tree.
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') await page.screenshot({ path: join(ROOT, 'docs', name), fullPage: true });
}

function countIs(locator: Locator, n: number): Promise<true> {
  return waitFor(async () => (await locator.count()) === n || undefined, `${n} rows`);
}

async function post(gw: Harness, name: string): Promise<string> {
  const res = await request(gw.url).post('/webhook/alertmanager').send(alertGroup([name])).expect(202);
  return (res.body as { events: string[] }).events[0]!;
}

describe('the web page /ui in a real headless Chromium', () => {
  const suite = telegramGatewayPerTest();
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
    // Chromium refuses to run as root with its sandbox, which is how CI containers run.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('when an operator logs in, then they filter the alerts, open a failed one, resend it and see it sent, and preview a template', async () => {
    const { tg } = suite;
    const gw = await suite.startGateway({
      auth: { adminToken: ADMIN_TOKEN, allowOpen: ['/webhook/alertmanager'] },
      channels: { ops: fakeTelegramChannel(tg), stdout: { type: 'console' } },
    }, 'history-ui');
    const sentId = await post(gw, 'DiskAlmostFull');
    await eventWhen(gw, sentId, (e) => outcomes(e).ops === 'sent', { Authorization: `Bearer ${ADMIN_TOKEN}` });
    tg.script('chatNotFound');
    const failedId = await post(gw, 'PaymentsDown');
    await eventWhen(gw, failedId, (e) => outcomes(e).ops === 'failed', { Authorization: `Bearer ${ADMIN_TOKEN}` });
    const hostileId = await post(gw, HOSTILE);
    await eventWhen(gw, hostileId, (e) => outcomes(e).ops === 'sent', { Authorization: `Bearer ${ADMIN_TOKEN}` });

    const context = await browser.newContext({ httpCredentials: { username: 'ops', password: ADMIN_TOKEN }, viewport: { width: 1280, height: 600 } });
    try {
      const page = await context.newPage();
      const scriptErrors: string[] = [];
      page.on('pageerror', (err) => scriptErrors.push(err.message));

      await page.goto(`${gw.url}/`);
      expect(new URL(page.url()).pathname).toBe('/ui');
      const rows = page.locator('#events tbody tr');
      await countIs(rows, 3);
      // The hostile title is text on the page, and none of it ran.
      await page.getByRole('link', { name: HOSTILE }).waitFor();
      expect(await page.evaluate('window.__pwned')).toBeUndefined();
      await screenshot(page, 'ui-events.png');

      await page.selectOption('select[name="outcome"]', 'failed');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/outcome=failed/);
      await countIs(rows, 1);
      await page.getByRole('link', { name: /PaymentsDown/ }).click();
      await page.waitForURL(new RegExp(`/ui/events/${failedId}$`));

      const ops = page.locator('#deliveries tr[data-channel="ops"]');
      await ops.getByText('Telegram 400: Bad Request: chat not found').waitFor();
      await page.locator('#timeline').getByText('received from alertmanager; routed to ops, stdout').waitFor();
      await screenshot(page, 'ui-event-failed.png');
      await ops.getByRole('button', { name: 'Resend' }).click();
      // The page reloads itself until the delivery has left the queue again.
      await ops.locator('.badge', { hasText: /^sent$/ }).waitFor({ timeout: 15_000 });
      await page.locator('#timeline').getByText('resent from the web page').waitFor();
      expect(tg.requests).toHaveLength(4);
      await screenshot(page, 'ui-event.png');

      await page.goto(`${gw.url}/ui/preview`);
      await page.check('input[value="sample:alertmanager"]');
      await page.getByRole('button', { name: 'Render' }).click();
      const telegram = page.locator('section.preview[data-channel="ops"]');
      await telegram.locator('.size', { hasText: /^\d+ of 4096 characters$/ }).waitFor();
      await page.locator('section.preview[data-channel="stdout"] pre').waitFor();
      await screenshot(page, 'ui-preview.png');

      await page.check('input[value="paste"]');
      await page.fill('textarea[name="payload"]', '{"not": "alertmanager"');
      await page.getByRole('button', { name: 'Render' }).click();
      await page.getByRole('alert').getByText(/not JSON/).waitFor();
      expect(tg.requests).toHaveLength(4); // the preview sent nothing
      expect(scriptErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('when a cross-site page tries the resend, then it is refused', async () => {
    const gw = await suite.startGateway({ auth: { adminToken: ADMIN_TOKEN }, channels: { ops: fakeTelegramChannel(suite.tg) } }, 'history-csrf');
    const id = '0'.repeat(24);
    const basic = { Authorization: `Basic ${Buffer.from(`ops:${ADMIN_TOKEN}`).toString('base64')}` };
    // A form post from another site: no custom header, a foreign Origin.
    const forged = await request(gw.url).post(`/ui/events/${id}/resend`).set(basic).set('Origin', 'https://evil.example').type('form').send('channel=ops').expect(403);
    expect((forged.body as { error: { code: string } }).error.code).toBe('cross_origin');
    await request(gw.url).post(`/ui/events/${id}/resend`).set(basic).send({ channel: 'ops' }).expect(403);
    // With the page's header and no foreign origin it reaches the lookup (no such alert here).
    await request(gw.url).post(`/ui/events/${id}/resend`).set(basic).set('X-Gateway-UI', 'resend').send({ channel: 'ops' }).expect(404);
  });
});
