import request from 'supertest';
import { Queue } from 'bullmq';
import { storedJobs } from '../support/stored-jobs';
import { startHarness, type Harness } from '../support/gateway-harness';
import { waitFor } from '../support/wait-for';
import { sampleAlertmanagerPayload } from '../../src/ingest/operator/samples';

describe('ingest HTTP answers', () => {
  let gw: Harness;
  afterEach(async () => {
    await gw?.stop();
  });

  describe('with workers (role all) and the default console channel', () => {
    beforeEach(async () => {
      gw = await startHarness({});
    });

    it('when /health and /ready are asked, then both answer 200', async () => {
      await request(gw.url).get('/health').expect(200, { status: 'ok' });
      await request(gw.url).get('/ready').expect(200, { status: 'ready' });
    });

    it('when POST /test has no body, then a Sentry sample is printed by the console channel', async () => {
      const res = await request(gw.url).post('/test').expect(202);
      expect(res.body).toMatchObject({ accepted: 1, jobs: [{ channel: 'console' }] });
      await gw.waitForLog(/Sentry -> console sent "ZeroDivisionError: division by zero" attempt=1/);
      expect(gw.printed.join('')).toContain('[ERROR] Sentry checkout-api/production: ZeroDivisionError: division by zero');
    });

    it('when POST /test is sent twice, then both samples are delivered (a test is never taken for a retry)', async () => {
      const first = await request(gw.url).post('/test').expect(202);
      const second = await request(gw.url).post('/test').expect(202);
      expect(first.body.jobs[0].id).not.toBe(second.body.jobs[0].id);
      await gw.waitForLog(/Sentry -> console sent/);
      await waitFor(() => gw.logs.filter((line) => /Sentry -> console sent/.test(line)).length === 2, 'two delivery lines');
    });

    it('when POST /test?dryRun=1 asks for Alertmanager, then the rendered message comes back and nothing is sent', async () => {
      const res = await request(gw.url).post('/test?dryRun=1').send({ source: 'alertmanager' }).expect(200);
      expect(res.body).toMatchObject({ dryRun: true, source: 'alertmanager', previews: [{ channel: 'console', type: 'console' }] });
      expect(res.body.previews[0].message.text).toContain('[FIRING critical] Alertmanager HighErrorRate: Checkout API 5xx rate is 7.2% (threshold 5%)');
      expect(gw.printed).toEqual([]);
    });

    it('when POST /test names an unknown channel or source, then 400 says what exists', async () => {
      const channel = await request(gw.url).post('/test').send({ channel: 'pager' }).expect(400);
      expect(channel.body).toEqual({ error: { code: 'unknown_channel', message: 'no channel named "pager"; configured: console' } });
      const source = await request(gw.url).post('/test').send({ source: 'nagios' }).expect(400);
      expect(source.body.error.message).toMatch(/^source: .*"sentry".*"alertmanager"/);
    });
  });

  describe('as an api replica (no workers)', () => {
    beforeEach(async () => {
      gw = await startHarness({ role: 'api' });
    });

    it('when 202 is answered, then every job is already stored in Redis, waiting', async () => {
      const res = await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);
      const queue = new Queue('intake', { connection: { url: gw.config.redis.url }, prefix: gw.config.redis.prefix });
      try {
        const jobs = await queue.getJobs(['waiting']);
        expect(jobs).toHaveLength(1); // the whole webhook, however many alerts it carries
        expect(jobs[0]?.data.alerts[0]?.event.title).toBe('Checkout API 5xx rate is 7.2% (threshold 5%)');
        expect(jobs[0]?.data.alerts[0]?.channels).toEqual(['console']);
        const stored = await storedJobs(gw.config.redis.prefix);
        expect(stored.map(({ queue: name, id }) => ({ channel: name.replace('deliver.', ''), id }))).toEqual(res.body.jobs);
      } finally {
        await queue.close();
      }
    });

    it('when the same webhook is posted twice, then the second maps to the same job', async () => {
      const payload = sampleAlertmanagerPayload(new Date()) as object;
      const first = await request(gw.url).post('/webhook/alertmanager').send(payload).expect(202);
      const second = await request(gw.url).post('/webhook/alertmanager').send(payload).expect(202);
      expect(second.body.jobs).toEqual(first.body.jobs);
      const queue = new Queue('intake', { connection: { url: gw.config.redis.url }, prefix: gw.config.redis.prefix });
      try {
        expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
      } finally {
        await queue.close();
      }
    });

    it('when the body is not JSON by content type, then 415 names the type received', async () => {
      const res = await request(gw.url).post('/webhook/alertmanager').set('Content-Type', 'text/plain').send('hello').expect(415);
      expect(res.body).toEqual({ error: { code: 'unsupported_media_type', message: 'Content-Type must be application/json, got "text/plain"' } });
    });

    it('when the JSON is malformed, then 400 says where it broke', async () => {
      const res = await request(gw.url).post('/webhook/alertmanager').set('Content-Type', 'application/json').send('{"alerts": [}').expect(400);
      expect(res.body.error.code).toBe('malformed_json');
      expect(res.body.error.message).toMatch(/position 12/);
    });

    it('when the JSON fits no known format, then 400 names the field and what was expected', async () => {
      const res = await request(gw.url).post('/webhook/alertmanager').send({ version: '4', alerts: [{ status: 'burning', labels: {} }] }).expect(400);
      expect(res.body.error.code).toBe('invalid_payload');
      expect(res.body.error.message).toMatch(/alerts\[0\]\.status/);
    });

    it('when the body is larger than the limit, then 413 and no stack trace', async () => {
      const res = await request(gw.url).post('/webhook/sentry').set('Content-Type', 'application/json').send(`{"x":"${'a'.repeat(1024 * 1024 + 10)}"}`).expect(413);
      expect(res.body.error.code).toBe('payload_too_large');
      expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(/);
    });

    it.each([
      ['an empty body', '/webhook/alertmanager', 400, 'empty_body', 'the request body is empty; expected a JSON object', Buffer.alloc(0), {}],
      ['bytes that are not UTF-8', '/webhook/sentry', 400, 'invalid_utf8', 'the body is not valid UTF-8: decoding fails at byte 2', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), {}],
      ['a Sentry body of no known shape', '/webhook/sentry', 400, 'invalid_payload', expect.stringMatching(/^expected a Sentry Integration Platform webhook/), Buffer.from('{"hello":"world"}'), {}],
      ['an unknown Content-Encoding', '/webhook/alertmanager', 415, 'unsupported_content_encoding', 'Content-Encoding must be identity, gzip, deflate or br', Buffer.from('{}'), { 'Content-Encoding': 'zstd-ish' }],
      ['a charset other than UTF-8', '/webhook/alertmanager', 415, 'unsupported_media_type', 'JSON bodies must be UTF-8, got charset "iso-8859-1"', Buffer.from('{}'), { 'Content-Type': 'application/json; charset=iso-8859-1' }],
    ])('when the request has %s, then %s answers %i %s with a message that says what to fix', async (_name, path, status, code, message, body, headers) => {
      const res = await request(gw.url)
        .post(path)
        .set({ 'Content-Type': 'application/json', ...headers })
        // Raw bytes as given: superagent would JSON-encode a Buffer sent with a JSON content type.
        // Its typings say string, but it writes a Buffer unchanged.
        .serialize((bytes: Buffer) => bytes as unknown as string)
        .send(body)
        .expect(status);
      expect(res.body).toEqual({ error: { code, message } });
    });

    it('when a route does not exist, then 404 is JSON too', async () => {
      await request(gw.url).get('/webhook/nagios').expect(404, { error: { code: 'not_found', message: 'no route for GET /webhook/nagios' } });
    });

    it('when a Sentry resource needs no message, then 200 with accepted 0 and the reason', async () => {
      const res = await request(gw.url)
        .post('/webhook/sentry')
        .set('Sentry-Hook-Resource', 'installation')
        .send({ action: 'created', installation: { uuid: 'a1b2' }, data: { installation: { uuid: 'a1b2', status: 'installed' } } })
        .expect(200);
      expect(res.body).toEqual({ accepted: 0, reason: expect.stringContaining('installation') });
    });
  });

  describe('with ingest.bodyLimit set to 2kb', () => {
    beforeEach(async () => {
      gw = await startHarness({ role: 'api', ingest: { bodyLimit: '2kb' } });
    });

    it('when a body is over the configured limit, then 413 names the limit and the setting; under it, 202', async () => {
      const payload = sampleAlertmanagerPayload(new Date()) as object;
      await request(gw.url).post('/webhook/alertmanager').send(payload).expect(202);
      const res = await request(gw.url).post('/webhook/alertmanager').send({ ...payload, padding: 'x'.repeat(2048) }).expect(413);
      expect(res.body).toEqual({ error: { code: 'payload_too_large', message: 'the body is larger than the limit of 2048 bytes (ingest.bodyLimit)' } });
    });
  });
});
