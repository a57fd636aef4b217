import { startFakeHttp, type FakeHttp } from './fake-http';

export const FAKE_SENTRY_KEY = '0123456789abcdef0123456789abcdef';
export const FAKE_SENTRY_PROJECT = 42;

/** One envelope item: its header line and its payload (JSON when it parses). */
export interface EnvelopeItem {
  header: { type?: string } & Record<string, unknown>;
  payload: unknown;
}

export interface FakeSentryIngest {
  /** A DSN for the SDK, aimed at this fake. */
  readonly dsn: string;
  readonly http: FakeHttp;
  /** The error events of every accepted envelope, in arrival order. */
  events(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Sentry's envelope endpoint, `POST /api/<project>/envelope/`, as the SDKs use it: the key comes in
 * `X-Sentry-Auth` or the `sentry_key` query parameter; without it 401, with another 403, and an
 * accepted envelope gets 200 `{"id": <event id>}`. The body is newline-separated JSON: the envelope
 * header, then per item a header and a payload.
 */
export async function startFakeSentryIngest(): Promise<FakeSentryIngest> {
  const accepted: EnvelopeItem[][] = [];
  const http = await startFakeHttp(
    (request) => {
      if (request.method !== 'POST' || request.path !== `/api/${FAKE_SENTRY_PROJECT}/envelope/`) return json(404, { detail: 'not found' });
      const auth = String(request.headers['x-sentry-auth'] ?? '');
      const key = /sentry_key=([^,\s]+)/.exec(auth)?.[1] ?? request.query.sentry_key;
      if (!key) return json(401, { detail: 'missing authorization information' });
      if (key !== FAKE_SENTRY_KEY) return json(403, { detail: 'invalid api key' });
      const items = request.body as EnvelopeItem[];
      accepted.push(items);
      const header = items[0]?.header as { event_id?: string } | undefined;
      return json(200, { id: header?.event_id ?? null });
    },
    { name: 'fake Sentry ingest', parseBody: parseEnvelope },
  );
  return {
    dsn: `${http.url.replace('://', `://${FAKE_SENTRY_KEY}@`)}/${FAKE_SENTRY_PROJECT}`,
    http,
    events: () => accepted.flatMap((items) => items.slice(1).filter((item) => item.header.type === 'event').map((item) => item.payload as Record<string, unknown>)),
    close: () => http.close(),
  };
}

function json(status: number, body: unknown) {
  return { status, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } };
}

/** Header line, then (item header, payload) pairs; the first entry holds the envelope header as `header`. */
function parseEnvelope(raw: string): EnvelopeItem[] {
  const lines = raw.split('\n').filter((line) => line.length > 0);
  const parse = (line: string | undefined): unknown => {
    try {
      return JSON.parse(line ?? 'null');
    } catch {
      return line;
    }
  };
  const items: EnvelopeItem[] = [{ header: parse(lines[0]) as EnvelopeItem['header'], payload: undefined }];
  for (let i = 1; i < lines.length; i += 2) items.push({ header: parse(lines[i]) as EnvelopeItem['header'], payload: parse(lines[i + 1]) });
  return items;
}
