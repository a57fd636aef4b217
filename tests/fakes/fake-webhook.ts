import { createHmac, timingSafeEqual } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeOutcome, FakeReply } from './fake-http';

export type { FakeReply } from './fake-http';

/** One request the receiver got, its body as the very bytes that arrived. */
export interface WebhookReceived {
  method: string;
  path: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  bytes: Buffer;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: unknown;
  /** Whether X-Signature-256 matched the HMAC of `bytes`; undefined when the fake has no secret. */
  signatureValid: boolean | undefined;
  /** Date.now() when the body had arrived. */
  receivedAt: number;
}

/**
 * 'ok' is the receiver's real behaviour; 'hang' never answers, 'closeSocket' resets the
 * connection; { hold, then } answers `then` once `hold` settled (a receiver still busy with it).
 */
export type FakeWebhookAnswer = 'ok' | FakeOutcome | { hold: Promise<unknown>; then: 'ok' | FakeReply };

export interface FakeWebhook {
  /** Base URL; the receiver listens on every path. */
  readonly url: string;
  readonly requests: readonly WebhookReceived[];
  script(...answers: FakeWebhookAnswer[]): void;
  waitForRequests(n: number, timeoutMs?: number): Promise<readonly WebhookReceived[]>;
  close(): Promise<void>;
}

export interface FakeWebhookOptions {
  /** Verify X-Signature-256 with this secret, as a GitHub-style receiver does; a mismatch answers 401. */
  secret?: string;
  /** Headers that must arrive with exactly these values (a bearer token): otherwise 401. */
  requiredHeaders?: Record<string, string>;
}

export const FAKE_WEBHOOK_SECRET = 'whsec_5f2b8c1e9d7a4b3c6e0f1a2d8b9c7e4f';
export const FAKE_WEBHOOK_TOKEN = 'Bearer rcv_71c4e9a2b8d3f6e0a5c1b7d4';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeReply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json', ...headers },
});

/** Answers a receiver gives, for scripts. */
export const WEBHOOK_REPLIES = {
  tooManyRequests: (retryAfterSeconds: number): FakeReply => json(429, { error: 'rate limit exceeded' }, { 'Retry-After': String(retryAfterSeconds) }),
  unavailable: (retryAfterSeconds?: number): FakeReply =>
    ({ status: 503, body: 'Service Unavailable', headers: { 'Content-Type': 'text/plain', ...(retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) }) } }),
  notFound: (): FakeReply => json(404, { error: 'no such hook' }),
  unprocessable: (detail: string): FakeReply => json(422, { error: 'unprocessable entity', detail }),
};

/**
 * A generic webhook receiver on 127.0.0.1, port 0, that does what a careful receiver does
 * (docs/providers.md §8): reads the raw body, checks the bearer token and the
 * `X-Signature-256: sha256=<hex>` HMAC over exactly those bytes in constant time (401 when either
 * is wrong), wants JSON when told it is JSON (400 otherwise), and answers 200 {"received":true}.
 * Scripted answers come first, in order.
 */
export async function startFakeWebhook(options: FakeWebhookOptions = {}): Promise<FakeWebhook> {
  const requests: WebhookReceived[] = [];
  const queue: FakeWebhookAnswer[] = [];
  const changes = new EventEmitter();
  let closed = false;

  const answerLikeReceiver = (request: WebhookReceived): FakeReply => {
    for (const [name, value] of Object.entries(options.requiredHeaders ?? {})) {
      if (request.headers[name.toLowerCase()] !== value) return json(401, { error: `missing or wrong ${name}` });
    }
    if (request.signatureValid === false) return json(401, { error: 'signature mismatch' });
    const type = request.headers['content-type'] ?? '';
    if (/json/i.test(type) && request.body === undefined) return json(400, { error: 'body is not valid JSON' });
    return json(200, { received: true });
  };

  const server = createServer((req, res) => {
    void readBytes(req).then((bytes) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const request: WebhookReceived = {
        method: req.method ?? '',
        path: url.pathname,
        rawQuery: url.search.replace(/^\?/, ''),
        headers: req.headers,
        bytes,
        body: parseJson(bytes),
        signatureValid: options.secret === undefined ? undefined : verify(options.secret, bytes, req.headers['x-signature-256']),
        receivedAt: Date.now(),
      };
      requests.push(request);
      changes.emit('change');
      const answer = queue.shift() ?? 'ok';
      if (answer === 'hang') return;
      if (answer === 'closeSocket') return void req.socket.destroy();
      const reply = (given: 'ok' | FakeReply) => {
        const { status, headers, body } = given === 'ok' ? answerLikeReceiver(request) : given;
        res.writeHead(status, headers).end(body);
      };
      if (typeof answer === 'object' && 'hold' in answer) void answer.hold.finally(() => reply(answer.then));
      else reply(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...answers) => void queue.push(...answers),
    async waitForRequests(n, timeoutMs = 5000) {
      const deadline = AbortSignal.timeout(timeoutMs);
      while (requests.length < n && !closed) {
        try {
          await once(changes, 'change', { signal: deadline });
        } catch {
          throw new Error(`fake webhook: expected ${n} request(s) within ${timeoutMs} ms, got ${requests.length}`);
        }
      }
      if (requests.length < n) throw new Error(`fake webhook: closed after ${requests.length} of ${n} expected request(s)`);
      return requests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        closed = true;
        changes.emit('change');
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** What a receiver runs: recompute over the raw bytes, compare in constant time. */
export function verify(secret: string, bytes: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(bytes).digest('hex'), 'utf8');
  const given = Buffer.from(header.slice('sha256='.length), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

function parseJson(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
