import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startHarness, type Harness } from '../support/gateway-harness';
import { storedJobs } from '../support/stored-jobs';

const SECRET = 'route-access-secret-5e2c9a';
const BASIC = { username: 'am', password: 'am-pass-4d1b' };

function fixture(name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
}

function codeOf(res: request.Response): string | undefined {
  return (res.body as { error?: { code?: string } }).error?.code;
}

describe('routes are never open by accident', () => {
  const started: Harness[] = [];
  async function gateway(auth: Record<string, unknown>, label: string): Promise<Harness> {
    const gw = await startHarness({ role: 'api', auth }, label);
    started.push(gw);
    return gw;
  }
  afterEach(async () => {
    await Promise.all(started.splice(0).map((gw) => gw.stop()));
  });

  it('when only auth.alertmanager is set, then a GlitchTip POST to /webhook/sentry without credentials is 401 saying what to configure, and nothing is stored', async () => {
    const gw = await gateway({ alertmanager: BASIC }, 'access-am-only');
    const res = await request(gw.url).post('/webhook/sentry').set('Content-Type', 'application/json').send(fixture('glitchtip-issue-4x.json'));
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('no_credential_configured');
    expect((res.body as { error: { message: string } }).error.message).toMatch(/auth\.token.*auth\.allowOpen/);
    expect(await storedJobs(gw.config.redis.prefix)).toEqual([]);
  });

  it('when a signature secret and basic auth are set but no token, then /test, /test?dryRun=1 and /deliveries/failed are 401', async () => {
    const gw = await gateway({ sentry: { clientSecret: SECRET }, alertmanager: BASIC }, 'access-no-token');
    const test = await request(gw.url).post('/test');
    const dryRun = await request(gw.url).post('/test?dryRun=1');
    const failed = await request(gw.url).get('/deliveries/failed');
    expect([test.status, dryRun.status, failed.status]).toEqual([401, 401, 401]);
    expect(JSON.stringify(dryRun.body)).not.toContain('preview');
    expect(await storedJobs(gw.config.redis.prefix)).toEqual([]);
  });

  it('when auth.allowOpen lists /webhook/sentry, then that route alone takes an unauthenticated GlitchTip POST', async () => {
    const gw = await gateway({ alertmanager: BASIC, allowOpen: ['/webhook/sentry'] }, 'access-allow-open');
    const sentry = await request(gw.url).post('/webhook/sentry').set('Content-Type', 'application/json').send(fixture('glitchtip-issue-4x.json'));
    expect(sentry.status).toBe(202);
    expect((await request(gw.url).post('/test')).status).toBe(401);
    await gw.waitForLog(/listening on .*open="?\/webhook\/sentry \(auth\.allowOpen\)/);
  });

  it('when no credential is configured at all, then routes stay open and the start-up line says so', async () => {
    const gw = await gateway({}, 'access-quick-start');
    expect((await request(gw.url).post('/test?dryRun=1')).status).toBe(200);
    await gw.waitForLog(/listening on .*open="?every route \(no credential configured\)/);
  });

  it('when a signed Sentry event is sent to a gateway with only a client secret, then it still passes', async () => {
    const gw = await gateway({ sentry: { clientSecret: SECRET } }, 'access-signed');
    const body = fixture('sentry-event-alert.json');
    const res = await request(gw.url)
      .post('/webhook/sentry')
      .set({
        'Content-Type': 'application/json',
        'Sentry-Hook-Resource': 'event_alert',
        'Sentry-Hook-Signature': createHmac('sha256', SECRET).update(body).digest('hex'),
      })
      .send(body);
    expect(res.status).toBe(202);
  });
});
