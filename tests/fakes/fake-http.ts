import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake received, whatever it answered. */
export interface FakeRequest {
  method: string;
  /** Path without the query, e.g. "/cgi-bin/webhook/send". */
  path: string;
  /** Query parameters decoded the way a servlet does ("+" becomes a space). */
  query: Record<string, string>;
  /** The query string as sent, e.g. "access_token=…&timestamp=…&sign=…". */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  raw: string;
  /** Parsed body (JSON unless the fake reads bodies its own way); undefined when empty or unreadable. */
  body: unknown;
  /** Date.now() when the body had arrived. */
  receivedAt: number;
}

export interface FakeReply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** 'hang' never answers (a timeout) until the fake closes; 'closeSocket' drops the connection (ECONNRESET). */
export type FakeOutcome = FakeReply | 'hang' | 'closeSocket';

export interface FakeHttp {
  readonly url: string;
  readonly requests: readonly FakeRequest[];
  /** Resolves with all requests once at least n arrived; rejects after timeoutMs, or at once when the fake closes. */
  waitForRequests(n: number, timeoutMs?: number): Promise<readonly FakeRequest[]>;
  /** Stops listening and drops every connection, hung requests included. */
  close(): Promise<void>;
}

export interface FakeHttpOptions {
  /** Names the fake in the errors of waitForRequests. */
  name?: string;
  /** Reads a raw body into FakeRequest.body; JSON by default. */
  parseBody?: (raw: string, contentType: string | undefined) => unknown;
}

export const BAD_GATEWAY_HTML: FakeReply = {
  status: 502,
  body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n',
  headers: { 'Content-Type': 'text/html' },
};

/** An errcode answer as the robots give it: HTTP 200 whatever the errcode (docs/providers.md §2.1, §3.1). */
export function errcodeReply(errcode: number, errmsg: string): FakeReply {
  return { status: 200, body: JSON.stringify({ errcode, errmsg }), headers: { 'Content-Type': 'application/json; charset=UTF-8' } };
}

/** An HTTP server on 127.0.0.1, port 0, recording every request and answering with `handle`. */
export async function startFakeHttp(handle: (request: FakeRequest) => FakeOutcome | Promise<FakeOutcome>, options: FakeHttpOptions = {}): Promise<FakeHttp> {
  const name = options.name ?? 'fake server';
  const parseBody = options.parseBody ?? parseJson;
  const requests: FakeRequest[] = [];
  // 'change' on every request and on close: what a wait for requests wakes up on.
  const changes = new EventEmitter();
  let closed = false;
  const server = createServer((req, res) => {
    void readBody(req).then(async (raw) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const request: FakeRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        rawQuery: url.search.replace(/^\?/, ''),
        headers: req.headers,
        raw,
        body: parseBody(raw, req.headers['content-type']),
        receivedAt: Date.now(),
      };
      requests.push(request);
      changes.emit('change');
      const outcome = await handle(request);
      // A hung request keeps its socket until close() drops every connection.
      if (outcome === 'hang') return;
      if (outcome === 'closeSocket') return void req.socket.destroy();
      res.writeHead(outcome.status, outcome.headers).end(outcome.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async waitForRequests(n, timeoutMs = 5000) {
      const deadline = AbortSignal.timeout(timeoutMs);
      while (requests.length < n && !closed) {
        try {
          await once(changes, 'change', { signal: deadline });
        } catch {
          throw new Error(`${name}: expected ${n} request(s) within ${timeoutMs} ms, got ${requests.length}`);
        }
      }
      if (requests.length < n) throw new Error(`${name}: closed after ${requests.length} of ${n} expected request(s)`);
      return requests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // No wait outlives the fake.
        closed = true;
        changes.emit('change');
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // hanging requests and keep-alive sockets would hold close() open
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseJson(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined; // recorded as "unreadable"; the robots answer that with an errcode
  }
}
