import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { sampleAlertmanagerPayload } from '../../src/ingest/operator/samples';
import { sentryWireJson } from '../support/heavy-sentry-event';
import { startHarness, type Harness } from '../support/gateway-harness';
import { storedJobs } from '../support/stored-jobs';

const SECRET = '4f1c2b8e9d7a6f5e3c2b1a0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f';
const ROTATED = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d';
const TOKEN = 'tok-3b9f1c7e2a5d4f60';
const ADMIN = 'adm-8c2e4a6f0b1d3e5f';

/** A fixture's exact bytes: pretty-printed with raw UTF-8, i.e. nothing a re-serialization reproduces. */
function raw(name: string): Buffer {
  return readFileSync(join(__dirname, '..', 'fixtures', name));
}

function sign(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

// superagent would send a Buffer with a JSON content type as {"type":"Buffer",...}: send the text.
function post(gw: Harness, path: string, body: Buffer | string, headers: Record<string, string> = {}) {
  return request(gw.url).post(path).set({ 'Content-Type': 'application/json', ...headers }).send(body.toString());
}

function postSigned(gw: Harness, resource: string, body: Buffer | string, signature: string, extra: Record<string, string> = {}) {
  return post(gw, '/webhook/sentry', body, {
    'Sentry-Hook-Resource': resource,
    'Sentry-Hook-Timestamp': String(Math.floor(Date.now() / 1000)),
    'Sentry-Hook-Signature': signature,
    ...extra,
  });
}

function errorOf(body: unknown): { code: string; message: string } {
  const error = (body as { error?: { code: string; message: string } }).error;
  if (!error || Object.keys(body as object).length !== 1 || Object.keys(error).sort().join() !== 'code,message') {
    throw new Error(`not the error shape: ${JSON.stringify(body)}`);
  }
  return error;
}

/** The jobs in Redis are exactly the ones 202 answers named: a 401 left nothing behind. */
async function expectOnlyAcceptedJobs(gw: Harness, accepted: readonly string[]): Promise<void> {
  const ids = (await storedJobs(gw.config.redis.prefix)).map((job) => job.id).sort();
  expect(ids).toEqual([...new Set(accepted)].sort());
}

function acceptedIds(res: request.Response): string[] {
  return res.status === 202 ? (res.body as { jobs: { id: string }[] }).jobs.map((job) => job.id) : [];
}

function expectSecretsNotLogged(gw: Harness): void {
  for (const secret of [SECRET, ROTATED, TOKEN, ADMIN, 'am-pass-7f3e']) {
    expect(gw.logs.join('\n')).not.toContain(secret);
  }
}

describe('ingest authentication', () => {
  let gw: Harness;
  afterEach(async () => {
    await gw?.stop();
  });

  describe('with a Sentry client secret and a shared token', () => {
    beforeEach(async () => {
      gw = await startHarness({ role: 'api', auth: { sentry: { clientSecret: SECRET }, token: TOKEN } }, 'auth');
    });

    it('when Sentry signs the raw bytes, then it is accepted, though re-serializing the JSON would give other bytes', async () => {
      const body = raw('sentry-event-alert.json');
      expect(JSON.stringify(JSON.parse(body.toString('utf8')))).not.toBe(body.toString('utf8'));
      const res = await postSigned(gw, 'event_alert', body, sign(body, SECRET)).expect(202);
      // Sentry's own serializer: compact, \uXXXX escapes, floats such as 10.0 kept.
      const wire = sentryWireJson(JSON.parse(raw('sentry-metric-alert-critical.json').toString('utf8'))).replace('"time_window":10', '"time_window":10.0');
      const metric = await postSigned(gw, 'metric_alert', wire, sign(wire, SECRET)).expect(202);
      await expectOnlyAcceptedJobs(gw, [...acceptedIds(res), ...acceptedIds(metric)]);
    });

    it('when the signature is wrong, missing or made over a body changed by one byte, then 401 says which, and nothing is stored', async () => {
      const body = raw('sentry-issue-created.json');
      const wrong = await postSigned(gw, 'issue', body, sign(body, 'not-the-secret')).expect(401);
      expect(errorOf(wrong.body)).toEqual({
        code: 'invalid_signature',
        message: 'Sentry-Hook-Signature does not match the body (hex HMAC-SHA256 of the raw body with auth.sentry.clientSecret)',
      });

      const changed = Buffer.from(body);
      changed[changed.indexOf('sku')] = 'S'.charCodeAt(0);
      expect(errorOf((await postSigned(gw, 'issue', changed, sign(body, SECRET)).expect(401)).body).code).toBe('invalid_signature');

      const missing = await post(gw, '/webhook/sentry', body, { 'Sentry-Hook-Resource': 'issue' }).expect(401);
      expect(errorOf(missing.body)).toEqual({
        code: 'missing_credentials',
        message:
          'this route requires a Sentry-Hook-Signature made with the client secret (auth.sentry.clientSecret) or the shared token (Authorization: Bearer <token> or ?token=<token>)',
      });
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="notification-gateway"');

      await expectOnlyAcceptedJobs(gw, []);
    });

    it('when a request is refused, then one warn line names the sender and the reason, and no secret or body', async () => {
      const body = raw('sentry-issue-created.json');
      await postSigned(gw, 'issue', body, sign(body, 'x'), { Authorization: `Bearer ${TOKEN}x` }).expect(401);
      const line = await gw.waitForLog(/warn .*POST \/webhook\/sentry rejected: Sentry-Hook-Signature does not match/);
      expect(line).toMatch(/status=401 code=invalid_signature from=(::ffff:)?127\.0\.0\.1/);
      expect(line).not.toContain('KeyError');
      expectSecretsNotLogged(gw);
    });

    it('when a signing sender also brings the token but its signature fails, then it is still refused', async () => {
      const body = raw('sentry-issue-created.json');
      const res = await postSigned(gw, 'issue', body, sign(body, 'old'), { Authorization: `Bearer ${TOKEN}` }).expect(401);
      expect(errorOf(res.body).code).toBe('invalid_signature');
    });

    it('when the legacy plugin or GlitchTip (which cannot sign) brings the token in the URL or a header, then it is accepted', async () => {
      const legacy = await post(gw, `/webhook/sentry?token=${TOKEN}`, raw('sentry-legacy-plugin.json')).expect(202);
      const glitchtip = await post(gw, '/webhook/sentry', raw('glitchtip-issue-4x.json'), { Authorization: `Bearer ${TOKEN}` }).expect(202);
      await expectOnlyAcceptedJobs(gw, [...acceptedIds(legacy), ...acceptedIds(glitchtip)]);
    });

    it('when the token is wrong or given twice, then 401 invalid_credentials, and the token is not logged', async () => {
      for (const query of [`token=${TOKEN}x`, `token=${TOKEN}&token=${TOKEN}`, 'token=']) {
        const res = await post(gw, `/webhook/sentry?${query}`, raw('sentry-legacy-plugin.json')).expect(401);
        expect(errorOf(res.body).code).toBe('invalid_credentials');
      }
      expectSecretsNotLogged(gw);
      await expectOnlyAcceptedJobs(gw, []);
    });

    it('when Alertmanager sends the shared token as bearer, then it is accepted; without it 401', async () => {
      const payload = JSON.stringify(sampleAlertmanagerPayload(new Date()));
      await post(gw, '/webhook/alertmanager', payload, { Authorization: `Bearer ${TOKEN}` }).expect(202);
      const res = await post(gw, '/webhook/alertmanager', payload).expect(401);
      expect(errorOf(res.body).message).toBe('this route requires the shared token (Authorization: Bearer <token> or ?token=<token>)');
    });

    it('when /test is called without the token, then 401; with it, 202', async () => {
      expect(errorOf((await request(gw.url).post('/test').expect(401)).body).code).toBe('missing_credentials');
      await request(gw.url).post(`/test?token=${TOKEN}`).expect(202);
    });

    it('when the request is unauthenticated and also malformed, then 401 comes first and reveals nothing about parsing', async () => {
      const res = await post(gw, '/webhook/sentry', '{"broken', { 'Sentry-Hook-Resource': 'issue' }).expect(401);
      expect(errorOf(res.body).code).toBe('missing_credentials');
    });
  });

  describe('when the client secret is rotated', () => {
    it('then a signature made with the old secret is refused and one made with the new secret accepted', async () => {
      const body = raw('sentry-issue-created.json');
      gw = await startHarness({ role: 'api', auth: { sentry: { clientSecret: SECRET } } }, 'auth-rotate');
      await postSigned(gw, 'issue', body, sign(body, SECRET)).expect(202);
      await gw.stop();

      gw = await startHarness({ role: 'api', auth: { sentry: { clientSecret: ROTATED } } }, 'auth-rotate');
      expect(errorOf((await postSigned(gw, 'issue', body, sign(body, SECRET)).expect(401)).body).code).toBe('invalid_signature');
      const res = await postSigned(gw, 'issue', body, sign(body, ROTATED)).expect(202);
      await expectOnlyAcceptedJobs(gw, acceptedIds(res));
    });
  });

  describe('with only a client secret (no shared token)', () => {
    it('then the legacy plugin is refused with a hint on how to let it in', async () => {
      gw = await startHarness({ role: 'api', auth: { sentry: { clientSecret: SECRET } } }, 'auth-secret');
      const res = await post(gw, '/webhook/sentry', raw('sentry-legacy-plugin.json')).expect(401);
      expect(errorOf(res.body).message).toMatch(/GlitchTip and the legacy plugin cannot sign: configure auth.token and add \?token= to their URL$/);
    });
  });

  describe('with Alertmanager basic auth and an admin token', () => {
    beforeEach(async () => {
      gw = await startHarness({ role: 'api', auth: { alertmanager: { username: 'am', password: 'am-pass-7f3e' }, adminToken: ADMIN } }, 'auth-basic');
    });

    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    it('when the basic credentials match, then 202', async () => {
      const res = await post(gw, '/webhook/alertmanager', JSON.stringify(sampleAlertmanagerPayload(new Date())), { Authorization: basic('am', 'am-pass-7f3e') }).expect(202);
      await expectOnlyAcceptedJobs(gw, acceptedIds(res));
    });

    it.each([
      ['a wrong password', 'invalid_credentials', basic('am', 'guess')],
      ['a wrong user', 'invalid_credentials', basic('root', 'am-pass-7f3e')],
      ['a bearer token', 'invalid_credentials', 'Bearer am-pass-7f3e'],
      ['garbage', 'invalid_credentials', 'Basic !!!'],
      ['nothing', 'missing_credentials', undefined],
    ])('when it sends %s, then 401 %s with a Basic challenge and nothing stored', async (_name, code, authorization) => {
      const headers: Record<string, string> = authorization ? { Authorization: authorization } : {};
      const res = await post(gw, '/webhook/alertmanager', JSON.stringify(sampleAlertmanagerPayload(new Date())), headers).expect(401);
      expect(errorOf(res.body).code).toBe(code);
      expect(res.headers['www-authenticate']).toBe('Basic realm="notification-gateway"');
      await expectOnlyAcceptedJobs(gw, []);
      expectSecretsNotLogged(gw);
    });

    it('when /test comes with the admin token, then 202; without, 401', async () => {
      await request(gw.url).post('/test').expect(401);
      await request(gw.url).post('/test').set('Authorization', `Bearer ${ADMIN}`).expect(202);
    });

    it('when Sentry posts with no secret or token configured for it, then 401 no_credential_configured: other credentials close it', async () => {
      const res = await post(gw, '/webhook/sentry', raw('sentry-issue-created.json'), { 'Sentry-Hook-Resource': 'issue' }).expect(401);
      expect(errorOf(res.body).code).toBe('no_credential_configured');
    });
  });

  describe('with auth.sentry.maxAge', () => {
    beforeEach(async () => {
      gw = await startHarness({ role: 'api', auth: { sentry: { clientSecret: SECRET, maxAge: '5m' } } }, 'auth-age');
    });

    it('when the timestamp is fresh, then 202; an hour old or missing, then 401 stale_timestamp', async () => {
      const body = raw('sentry-issue-created.json');
      await postSigned(gw, 'issue', body, sign(body, SECRET)).expect(202);
      const old = await postSigned(gw, 'issue', body, sign(body, SECRET), { 'Sentry-Hook-Timestamp': String(Math.floor(Date.now() / 1000) - 3600) }).expect(401);
      expect(errorOf(old.body)).toEqual({ code: 'stale_timestamp', message: expect.stringMatching(/^Sentry-Hook-Timestamp is 360\d s old, more than auth.sentry.maxAge \(300 s\)$/) });
      const missing = await post(gw, '/webhook/sentry', body, { 'Sentry-Hook-Resource': 'issue', 'Sentry-Hook-Signature': sign(body, SECRET) }).expect(401);
      expect(errorOf(missing.body).code).toBe('stale_timestamp');
    });
  });
});
