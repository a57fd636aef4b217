import { inspect } from 'node:util';
import type { RenderedMessage } from '../../src/channels/channel';
import type { AlertEvent } from '../../src/normalize/event';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../../src/channels/delivery-errors';
import { webhookConfigSchema, type WebhookChannelConfig } from '../../src/channels/webhook/config';
import { createWebhookChannel } from '../../src/channels/webhook/notifier';
import { paceOf } from '../../src/channels/registry';
import { webhookSecrets } from '../../src/channels/webhook/secrets';
import { FAKE_WEBHOOK_SECRET, FAKE_WEBHOOK_TOKEN, WEBHOOK_REPLIES, startFakeWebhook, verify, type FakeWebhook, type FakeWebhookAnswer } from '../fakes/fake-webhook';
import { expectNoSecrets, expectProviderFailure, failure, type ProviderCase } from '../support/channel-test-kit';

const event: AlertEvent = {
  source: 'alertmanager', status: 'firing', severity: 'critical', title: 'Диск заполнен на db-1', culprit: 'db-1:9100',
  url: 'http://prometheus:9090/graph?g0.expr=disk', labels: { alertname: 'DiskFull', instance: 'db-1:9100' }, annotations: {},
  occurredAt: '2026-11-22T10:00:00.000Z', dedupKey: 'alertmanager:5f2b8c1e', identity: 'alertmanager:5f2b8c1e:firing:1', extra: { firingCount: 1 },
};
const message: RenderedMessage = {
  title: '[CRITICAL] Диск заполнен на db-1',
  text: '[firing critical] Alertmanager DiskFull: 磁盘 93% 🔥 "quoted" \\ back\nline two',
  status: 'firing',
  severity: 'critical',
  url: 'http://prometheus:9090/graph?g0.expr=disk',
  event,
};
const HOOK_PATH = '/hooks/ops';

let fake: FakeWebhook;
beforeEach(async () => {
  fake = await startFakeWebhook({ secret: FAKE_WEBHOOK_SECRET, requiredHeaders: { Authorization: FAKE_WEBHOOK_TOKEN } });
});
afterEach(() => fake.close());

function config(overrides: Record<string, unknown> = {}): WebhookChannelConfig {
  return webhookConfigSchema.parse({
    type: 'webhook',
    url: `${fake.url}${HOOK_PATH}`,
    secret: FAKE_WEBHOOK_SECRET,
    headers: { Authorization: FAKE_WEBHOOK_TOKEN, 'X-Team': 'ops' },
    ...overrides,
  });
}

function send(overrides: Record<string, unknown> = {}, timeoutMs = 5000, sent: RenderedMessage = message) {
  return createWebhookChannel('ops-hook', config(overrides)).send(sent, AbortSignal.timeout(timeoutMs));
}

const longAnswer = `{"error":"invalid payload","detail":"${'поле '.repeat(100)}"}`;

// The shared table of answers (tests/support/channel-test-kit.ts), as a receiver gives them (docs/providers.md §8).
const cases: ProviderCase<FakeWebhookAnswer>[] = [
  { when: '429 with Retry-After: 7', answer: WEBHOOK_REPLIES.tooManyRequests(7), then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 7000, message: /^webhook HTTP 429: \{"error":"rate limit exceeded"\}$/ } },
  { when: '503 with Retry-After: 30', answer: WEBHOOK_REPLIES.unavailable(30), then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 30_000, message: /^webhook HTTP 503: Service Unavailable$/ } },
  { when: '503 with Retry-After as an HTTP date in the past', answer: { status: 503, body: '', headers: { 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' } }, then: { error: RateLimitedError, reason: 'rateLimited', retryAfterMs: 0, message: /^webhook HTTP 503: \(empty body\)$/ } },
  { when: '429 without Retry-After', answer: { status: 429, body: 'slow down' }, then: { error: RetryableDeliveryError, reason: 'rateLimited', message: /^webhook HTTP 429: slow down$/ } },
  { when: '503 without Retry-After', answer: WEBHOOK_REPLIES.unavailable(), then: { error: RetryableDeliveryError, reason: 'serverError', message: /^webhook HTTP 503: Service Unavailable$/ } },
  { when: '500', answer: { status: 500, body: 'Internal Server Error' }, then: { error: RetryableDeliveryError, reason: 'serverError', message: /^webhook HTTP 500: Internal Server Error$/ } },
  { when: '502 with Retry-After (a proxy)', answer: { status: 502, body: 'Bad Gateway', headers: { 'Retry-After': '5' } }, then: { error: RetryableDeliveryError, reason: 'serverError', message: /^webhook HTTP 502: Bad Gateway$/ } },
  { when: '408 Request Timeout', answer: { status: 408, body: 'Request Timeout' }, then: { error: RetryableDeliveryError, reason: 'timeout', message: /^webhook HTTP 408: Request Timeout$/ } },
  { when: '404 (wrong URL)', answer: WEBHOOK_REPLIES.notFound(), then: { error: PermanentDeliveryError, reason: 'clientError', message: /^webhook HTTP 404: \{"error":"no such hook"\}$/ } },
  { when: '422 with a detail', answer: WEBHOOK_REPLIES.unprocessable('labels.severity is required'), then: { error: PermanentDeliveryError, reason: 'clientError', message: /^webhook HTTP 422: \{"error":"unprocessable entity","detail":"labels\.severity is required"\}$/ } },
  { when: '400 with an answer longer than 200 bytes', answer: { status: 400, body: longAnswer }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^webhook HTTP 400: \{"error":"invalid payload","detail":"(поле )+…$/ } },
  {
    when: '403 that echoes the Authorization header',
    answer: { status: 403, body: `token not allowed: ${FAKE_WEBHOOK_TOKEN}` },
    then: { error: PermanentDeliveryError, reason: 'authError', message: /^webhook HTTP 403: token not allowed: \[redacted\]$/ },
  },
  { when: 'a redirect (never followed)', answer: { status: 301, body: '', headers: { Location: 'http://127.0.0.1:1/elsewhere' } }, then: { error: PermanentDeliveryError, reason: 'clientError', message: /^webhook HTTP 301: \(empty body\)$/ } },
  { when: 'the connection is refused', answer: 'connectionRefused', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNREFUSED/ } },
  { when: 'the receiver closes the socket', answer: 'closeSocket', then: { error: RetryableDeliveryError, reason: 'networkError', message: /^network error: ECONNRESET: socket hang up$/ } },
  { when: 'the receiver never answers', answer: 'hang', timeoutMs: 200, then: { error: RetryableDeliveryError, reason: 'timeout', message: /^request timed out: no answer before the delivery timeout$/ } },
];

describe('webhook channel against a signature-checking receiver', () => {
  test('when the receiver answers 200, then send resolves, and it got the default JSON body signed over its exact bytes', async () => {
    await expect(send()).resolves.toEqual({});

    const [request] = await fake.waitForRequests(1);
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(HOOK_PATH);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-team']).toBe('ops');
    expect(request!.signatureValid).toBe(true);
    expect(request!.body).toEqual({ event, title: message.title, text: message.text, color: '#d93025' });
    expect(request!.bytes.toString('utf8')).toBe(JSON.stringify(request!.body));
  });

  test.each([
    { status: 'resolved', severity: 'critical', color: '#1e8e3e' },
    { status: 'firing', severity: 'warning', color: '#f29900' },
    { status: 'firing', severity: 'error', color: '#d93025' },
  ] as const)('when the alert is $status $severity, then the default body says colour $color', async ({ status, severity, color }) => {
    await send({}, 5000, { ...message, status, severity, event: { ...event, status, severity } });
    const [request] = await fake.waitForRequests(1);
    expect(request!.body).toMatchObject({ color, event: { status, severity } });
  });

  test('when method is PUT, then the receiver gets a PUT with the same signed body', async () => {
    await send({ method: 'put' });
    const [request] = await fake.waitForRequests(1);
    expect(request!.method).toBe('PUT');
    expect(request!.signatureValid).toBe(true);
  });

  test('when the secret differs from the receiver\'s, then the receiver refuses it and the job fails with its words', async () => {
    const error = await failure(send({ secret: 'not-the-receivers-secret' }));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'authError', message: 'webhook HTTP 401: {"error":"signature mismatch"}' });
    expect(fake.requests[0]!.signatureValid).toBe(false);
  });

  test('when no secret is configured, then no signature header is sent', async () => {
    const unsigned = await startFakeWebhook();
    try {
      await createWebhookChannel('plain', webhookConfigSchema.parse({ type: 'webhook', url: unsigned.url })).send(message, AbortSignal.timeout(5000));
      const [request] = await unsigned.waitForRequests(1);
      expect(request!.headers['x-signature-256']).toBeUndefined();
    } finally {
      await unsigned.close();
    }
  });

  test('when the body is signed, then the signature is the HMAC of the bytes, so changing one byte breaks it', async () => {
    await send();
    const [request] = await fake.waitForRequests(1);
    const header = request!.headers['x-signature-256'];
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    const tampered = Buffer.from(request!.bytes);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 2) ^ 1, tampered.length - 2);
    expect(verify(FAKE_WEBHOOK_SECRET, tampered, header)).toBe(false);
  });

  test.each(cases)('when the receiver answers $when, then send throws the matching delivery error', async (row) => {
    const error = await expectProviderFailure(fake, row, (apiUrl, timeoutMs) => send({ url: `${apiUrl}${HOOK_PATH}` }, timeoutMs ?? 5000));

    expectNoSecrets(error, [FAKE_WEBHOOK_SECRET, FAKE_WEBHOOK_TOKEN, FAKE_WEBHOOK_TOKEN.slice('Bearer '.length)]);
  });

  test('when an answer is cut at 200 bytes, then the cut never tears a character', async () => {
    fake.script({ status: 400, body: `x${'é'.repeat(300)}` });
    const error = await failure(send());
    const quoted = error.message.slice('webhook HTTP 400: '.length);
    expect(Buffer.byteLength(quoted.replace(/…$/, ''), 'utf8')).toBe(199);
    expect(quoted).not.toContain('\uFFFD');
  });

  test('when a custom template produced something that is not JSON, then nothing is sent and the job fails as a render error', async () => {
    const error = await failure(send({ template: '/etc/ngw/ops.hbs' }, 5000, { ...message, text: '{"text": "unterminated}' }));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toMatchObject({ reason: 'renderError' });
    expect(error.message).toMatch(/^the template \/etc\/ngw\/ops\.hbs did not produce valid JSON for application\/json: /);
    expect(fake.requests).toHaveLength(0);
  });

  test('when a custom template produced JSON, then its output is the body, byte for byte, and signed', async () => {
    const text = '{"summary":"Диск заполнен","level":"P1"}';
    await send({ template: '/etc/ngw/ops.hbs' }, 5000, { ...message, text });
    const [request] = await fake.waitForRequests(1);
    expect(request!.bytes.toString('utf8')).toBe(text);
    expect(request!.signatureValid).toBe(true);
  });

  test('when contentType is not JSON, then a template\'s plain text goes out as it is', async () => {
    await send({ template: '/etc/ngw/ops.txt.hbs', contentType: 'text/plain; charset=utf-8' }, 5000, { ...message, text: 'disk full on db-1' });
    const [request] = await fake.waitForRequests(1);
    expect(request!.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(request!.bytes.toString('utf8')).toBe('disk full on db-1');
  });
});

describe('webhook channel preview', () => {
  test('when previewed, then it shows the method, URL, headers and body send would use, credentials and signature masked', async () => {
    const urlToken = 'T0123456789ABCDEFGHIJ';
    const channel = createWebhookChannel('ops-hook', config({ url: `${fake.url}/hooks/${urlToken}?api_key=k3y-0f-the-hook` }));

    const preview = channel.preview(message);

    expect(preview).toEqual({
      method: 'POST',
      url: `${fake.url}/hooks/[redacted]?api_key=[redacted]`,
      headers: { Authorization: '[redacted]', 'X-Team': 'ops', 'Content-Type': 'application/json', 'X-Signature-256': 'sha256=[redacted]' },
      body: { event, title: message.title, text: message.text, color: '#d93025' },
    });
    await channel.send(message, AbortSignal.timeout(5000)).catch(() => undefined);
    expect(preview.body).toEqual(fake.requests[0]!.body);
    const shown = JSON.stringify(preview);
    for (const secret of [urlToken, 'k3y-0f-the-hook', FAKE_WEBHOOK_SECRET, FAKE_WEBHOOK_TOKEN]) expect(shown).not.toContain(secret);
    expect(shown).not.toContain(fake.requests[0]!.headers['x-signature-256']);
  });
});

describe('webhook config', () => {
  const parse = (raw: Record<string, unknown>) => webhookConfigSchema.safeParse({ type: 'webhook', url: 'https://hooks.example.com/in', ...raw });
  const problems = (raw: Record<string, unknown>) => {
    const result = parse(raw);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  test('when only url is given, then it POSTs JSON unsigned with no extra headers', () => {
    expect(parse({}).data).toMatchObject({ method: 'POST', contentType: 'application/json', headers: {} });
  });

  test('when the config is wrong, then each problem names its field', () => {
    expect(problems({ url: '' })).toEqual(['url: required: an http(s) URL']);
    expect(problems({ url: 'ftp://example.com/x' })).toEqual(['url: required: an http(s) URL']);
    expect(problems({ method: 'GET' })[0]).toMatch(/^method: /);
    expect(problems({ headers: { 'Content-Type': 'text/plain' } })).toEqual(['headers.Content-Type: set by the channel: Content-Type comes from contentType, X-Signature-256 from secret']);
    expect(problems({ headers: { 'x-signature-256': 'sha256=00', host: 'example.com' } }).map((p) => p.split(':')[0])).toEqual(['headers.x-signature-256', 'headers.host']);
    expect(problems({ headers: { Authorization: '' } })).toEqual(['headers.Authorization: empty: is the variable it names set?']);
    expect(problems({ headers: { 'X-Evil': 'a\r\nInjected: yes' } })).toEqual(['headers.X-Evil: must not contain a line break']);
    expect(problems({ headers: { Authorization: 'Bearer ' } })).toEqual(['headers.Authorization: starts or ends with a space: is the variable it names set?']);
    expect(problems({ headers: { 'Bad Name': 'x' } })[0]).toMatch(/^headers.Bad Name: not a valid HTTP header name/);
    expect(problems({ unknownKey: 1 })[0]).toMatch(/unknownKey/);
  });

  test('when no rateLimit is set, then the channel is paced generously (so a receiver\'s pause holds in every worker); rateLimit overrides it', () => {
    expect(paceOf(webhookConfigSchema.parse({ type: 'webhook', url: 'https://hooks.example.com/in' }))).toEqual({ max: 1200, durationMs: 60_000 });
    expect(paceOf(webhookConfigSchema.parse({ type: 'webhook', url: 'https://hooks.example.com/in', rateLimit: { max: 5, per: '1m' } }))).toEqual({ max: 5, durationMs: 60_000 });
  });

  test('when YAML gives a header a number, then it is sent as text', () => {
    expect(parse({ headers: { 'X-Priority': 3 } }).data?.headers).toEqual({ 'X-Priority': '3' });
  });

  test('when credentials sit in headers or the URL, then secrets() names them all, and not descriptive headers', () => {
    const secrets = webhookSecrets(
      webhookConfigSchema.parse({
        type: 'webhook',
        url: 'https://bot:p%40ss-w0rd@hooks.example.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX1?token=abcd-1234',
        secret: 'shh-signing-secret',
        headers: { Authorization: 'Bearer tok-123456', 'X-Api-Key': 'key-987654', 'User-Agent': 'ngw/1.0', Accept: 'application/json' },
      }),
    );
    expect(secrets).toEqual(
      expect.arrayContaining(['shh-signing-secret', 'Bearer tok-123456', 'tok-123456', 'key-987654', 'bot', 'p%40ss-w0rd', 'p@ss-w0rd', 'XXXXXXXXXXXXXXXXXXXXXXXX1', 'abcd-1234']),
    );
    expect(secrets).not.toContain('ngw/1.0');
    expect(secrets).not.toContain('application/json');
    expect(secrets).not.toContain('services');
    expect(secrets).not.toContain('T000');
    expect(inspect(secrets)).not.toContain('hooks.example.com');
  });
});
