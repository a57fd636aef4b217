import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRenderer } from '../../src/render/render';
import type { AlertEvent } from '../../src/normalize/event';
import { heavySentryEventAlert, sentryWireJson } from '../support/heavy-sentry-event';
import { startHarness, type Harness } from '../support/gateway-harness';
import { storedJobs } from '../support/stored-jobs';

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** Raw bytes on the wire, exactly as given (supertest would re-encode a Buffer). */
async function send(gw: Harness, path: string, body: Buffer | string, headers: Record<string, string> = { 'Content-Type': 'application/json' }): Promise<Answer> {
  // A Buffer, so fetch adds no Content-Type of its own.
  const res = await fetch(`${gw.url}${path}`, { method: 'POST', body: Buffer.from(body), headers });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
}

function error(answer: Answer): { code: string; message: string } {
  const body = answer.body as { error?: { code: string; message: string } };
  if (!body?.error || Object.keys(body.error).sort().join() !== 'code,message') throw new Error(`not an error answer: ${JSON.stringify(body)}`);
  return body.error;
}

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
const sentryHeaders = (resource: string) => ({ 'Content-Type': 'application/json', 'Sentry-Hook-Resource': resource });
const firing = JSON.parse(fixture('alertmanager-firing.json')) as { alerts: Record<string, unknown>[] } & Record<string, unknown>;
const renderer = createRenderer({ templatesDir: join(__dirname, '..', '..', 'templates'), timezone: 'UTC' });

describe('hostile and broken input', () => {
  let gw: Harness;
  beforeAll(async () => {
    gw = await startHarness({ role: 'api' }, 'hostile');
  });
  afterAll(async () => {
    await gw?.stop();
  });

  describe('what is refused, with its code', () => {
    it.each([
      ['text/plain', { 'Content-Type': 'text/plain' }, 'Content-Type must be application/json, got "text/plain"'],
      ['no content type', {}, 'Content-Type must be application/json, got "none"'],
      ['a form', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'Content-Type must be application/json, got "application/x-www-form-urlencoded"'],
      ['JSON in latin1', { 'Content-Type': 'application/json; charset=latin1' }, 'JSON bodies must be UTF-8, got charset "latin1"'],
    ])('when the body comes as %s, then 415 unsupported_media_type names it', async (_name, headers, message) => {
      const answer = await send(gw, '/webhook/alertmanager', fixture('alertmanager-firing.json'), headers);
      expect(answer.status).toBe(415);
      expect(error(answer)).toEqual({ code: 'unsupported_media_type', message });
    });

    it('when the content type is a +json type with a UTF-8 charset, then it is JSON', async () => {
      const answer = await send(gw, '/webhook/alertmanager', fixture('alertmanager-firing.json'), { 'Content-Type': 'application/vnd.alertmanager+json; charset=UTF-8' });
      expect(answer.status).toBe(202);
    });

    it('when the body is empty, then 400 empty_body', async () => {
      expect(error(await send(gw, '/webhook/sentry', '', sentryHeaders('issue')))).toEqual({ code: 'empty_body', message: 'the request body is empty; expected a JSON object' });
    });

    it('when the body is not valid UTF-8, then 400 invalid_utf8 names the byte', async () => {
      const bytes = Buffer.concat([Buffer.from('{"version":"4","alerts":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
      const answer = await send(gw, '/webhook/alertmanager', bytes);
      expect(answer.status).toBe(400);
      expect(error(answer)).toEqual({ code: 'invalid_utf8', message: 'the body is not valid UTF-8: decoding fails at byte 26' });
    });

    it('when the JSON is broken, then 400 malformed_json gives position, line and column and does not echo the body', async () => {
      const answer = await send(gw, '/webhook/sentry', '{\n  "action": "created",\n  "data": {"password": "hunter2",}\n}', sentryHeaders('issue'));
      expect(error(answer)).toEqual({ code: 'malformed_json', message: 'the body is not valid JSON at position 58 (line 3, column 34): unexpected "}"' });
      expect(JSON.stringify(answer.body)).not.toContain('hunter2');
    });

    it('when a UTF-8 byte order mark comes first, then it is skipped', async () => {
      expect((await send(gw, '/webhook/alertmanager', `\uFEFF${fixture('alertmanager-firing.json')}`)).status).toBe(202);
    });

    it.each([
      ['/webhook/sentry', 'a Grafana alert', { title: 'Disk full', state: 'alerting' }, {}, /^expected a Sentry Integration Platform webhook .*, a legacy WebHooks plugin body .* or a GlitchTip webhook \(text and attachments\)$/],
      ['/webhook/alertmanager', 'no version and no alerts', { status: 'firing' }, {}, /^not an Alertmanager webhook \(version 4\) payload: version: expected "4"; alerts: expected array, received undefined$/],
      ['/webhook/alertmanager', 'an array', [], {}, /^not an Alertmanager webhook \(version 4\) payload: body: expected object, received array$/],
      ['/webhook/alertmanager', 'a string', 'firing', {}, /body: expected object, received string$/],
      ['/webhook/alertmanager', 'null', null, {}, /body: expected object, received null$/],
      ['/webhook/sentry', 'a number where a string belongs', { action: 'created', installation: { uuid: 'u' }, data: { issue: { id: 6089314527 } } }, { 'Sentry-Hook-Resource': 'issue' }, /data\.issue\.id: expected string, received number/],
      ['/webhook/sentry', 'nulls where objects belong', { action: 'created', installation: null, data: null }, { 'Sentry-Hook-Resource': 'issue' }, /installation: expected object, received null/],
      ['/webhook/alertmanager', '1001 alerts', { ...firing, alerts: Array.from({ length: 1001 }, () => firing.alerts[0]) }, {}, /alerts: at most 1000 alerts per request; set max_alerts in the webhook_config$/],
    ])('when %s gets %s, then 400 invalid_payload says what was expected', async (path, _name, body, headers, message) => {
      const answer = await send(gw, path, JSON.stringify(body), { 'Content-Type': 'application/json', ...headers });
      expect(answer.status).toBe(400);
      expect(error(answer).code).toBe('invalid_payload');
      expect(error(answer).message).toMatch(message);
    });

    it('when a label name is 100 000 characters, then the 400 message quotes it cut short', async () => {
      const body = { ...firing, alerts: [{ ...firing.alerts[0], labels: { ['x'.repeat(100_000)]: 1 } }] };
      const answer = await send(gw, '/webhook/alertmanager', JSON.stringify(body));
      expect(error(answer).message).toBe(`not an Alertmanager webhook (version 4) payload: alerts[0].labels["${'x'.repeat(40)}…"]: expected string, received number`);
    });

    it('when a gzip body inflates beyond the limit, then 413; an unknown encoding is 415', async () => {
      const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
      expect(bomb.length).toBeLessThan(64 * 1024);
      const answer = await send(gw, '/webhook/alertmanager', bomb, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      expect(answer.status).toBe(413);
      expect(error(answer)).toEqual({ code: 'payload_too_large', message: 'the body is larger than the limit of 1048576 bytes (ingest.bodyLimit)' });
      const unknown = await send(gw, '/webhook/alertmanager', 'x', { 'Content-Type': 'application/json', 'Content-Encoding': 'zstd-ish' });
      expect(unknown.status).toBe(415);
    });

    it('when requests are refused, then each leaves one warn line with the sender and the reason, and no job', async () => {
      const before = gw.logs.length;
      await send(gw, '/webhook/alertmanager', '{"version": "4", "alerts": [}');
      const lines = gw.logs.slice(before).filter((line) => / warn /.test(line));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/POST \/webhook\/alertmanager rejected: the body is not valid JSON at position 28 .* status=400 code=malformed_json from=\S*127\.0\.0\.1 agent=node/);
      expect((await storedJobs(gw.config.redis.prefix)).filter((job) => job.queue !== 'deliver.console')).toEqual([]);
    });
  });

  describe('what is accepted and normalized safely', () => {
    async function acceptedEvents(answer: Answer): Promise<AlertEvent[]> {
      expect(answer.status).toBe(202);
      const ids = new Set((answer.body as { jobs: { id: string }[] }).jobs.map((job) => job.id));
      const jobs = (await storedJobs(gw.config.redis.prefix)).filter((job) => ids.has(job.id));
      return jobs.map((job) => (job.data as { event: AlertEvent }).event);
    }

    /** Renders for every channel type (none may throw) and gives the Telegram text. */
    function renders(event: AlertEvent): string {
      for (const type of ['wecom', 'dingtalk', 'console'] as const) renderer.render(event, { name: type, type, locale: 'en' });
      return renderer.render(event, { name: 'tg', type: 'telegram', locale: 'en' }).text;
    }

    it('when a heavy Sentry event (~615 KiB) arrives, then it fits the default limit and is accepted', async () => {
      const wire = sentryWireJson(heavySentryEventAlert());
      expect(wire.length).toBeGreaterThan(600 * 1024);
      const [event] = await acceptedEvents(await send(gw, '/webhook/sentry', wire, sentryHeaders('event_alert')));
      expect(event?.title).toBe('PricingError: failure 2 while pricing cart 7731-A');
    });

    it('when a title is a 1 MB string, then it is stored and renders to a message that fits Telegram', async () => {
      // Another fingerprint: the same alert identity would map to the job an earlier test stored.
      const body = { ...firing, alerts: [{ ...firing.alerts[0], fingerprint: 'aaaaaaaaaaaaaaaa', annotations: { summary: `<b>${'€'.repeat(300_000)}` } }] };
      const [event] = await acceptedEvents(await send(gw, '/webhook/alertmanager', JSON.stringify(body)));
      const text = renders(event!);
      expect([...text].length).toBeLessThanOrEqual(4096 + 200);
      expect(text).toContain('&lt;b&gt;€€€');
    });

    it('when unknown fields nest 100 000 levels deep, then they are ignored and the alert goes through', async () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      const text = JSON.stringify(firing).replace(/}$/, `,"unknownDeep":${deep}}`);
      const events = await acceptedEvents(await send(gw, '/webhook/alertmanager', text));
      expect(events).toHaveLength(3);
    });

    it('when the whole body is 100 000 levels deep, then 400, not a crash', async () => {
      const answer = await send(gw, '/webhook/alertmanager', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
      expect(error(answer).code).toBe('invalid_payload');
    });

    it('when a Sentry event has 20 000 tags, then it is accepted with the first 64, says so, and still renders', async () => {
      const body = JSON.parse(fixture('sentry-error-created.json')) as { data: { error: { tags: unknown } } };
      body.data.error.tags = Array.from({ length: 20_000 }, (_, i) => [`t${i}`, `v${i}`]);
      const [event] = await acceptedEvents(await send(gw, '/webhook/sentry', JSON.stringify(body), sentryHeaders('error')));
      expect(Object.keys(event!.labels)).toHaveLength(64);
      expect(event!.extra.truncated).toBe('labels');
      renders(event!);
    });

    it('when keys are __proto__ and constructor at every level, then nothing is polluted and the alert still renders', async () => {
      const text = fixture('sentry-legacy-plugin.json').replace(/^\{/, '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},');
      const [event] = await acceptedEvents(await send(gw, '/webhook/sentry', text));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      renders(event!);
      const labels = `{"version":"4","alerts":[{"status":"firing","startsAt":"2025-11-18T08:00:00Z","labels":{"__proto__":{"x":1},"constructor":"c","toString":"t","alertname":"A"}}]}`;
      const [alert] = await acceptedEvents(await send(gw, '/webhook/alertmanager', labels));
      expect(alert?.labels).toEqual({ constructor: 'c', toString: 't', alertname: 'A' });
      expect(renders(alert!)).toContain('constructor=c');
    });

    it('when nullable fields are all null, then the alert is normalized with defaults', async () => {
      const body = {
        action: 'triggered',
        installation: { uuid: 'u-1' },
        data: { event: { event_id: 'e1', title: null, message: null, culprit: null, level: null, tags: null, exception: null, metadata: null, datetime: null, timestamp: null, url: null, web_url: null }, triggered_rule: null },
      };
      const [event] = await acceptedEvents(await send(gw, '/webhook/sentry', JSON.stringify(body), sentryHeaders('event_alert')));
      expect(event).toMatchObject({ title: '<unlabeled event>', severity: 'error', status: 'firing' });
      expect(renders(event!)).toContain('&lt;unlabeled event&gt;');
    });

    it('after all of it, then /health still answers', async () => {
      expect((await fetch(`${gw.url}/health`)).status).toBe(200);
    });
  });
});
