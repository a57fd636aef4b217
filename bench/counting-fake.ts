import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProviderKind = 'telegram' | 'wecom' | 'dingtalk';

/** A message the fake accepted (answered with success), as the chat would show it. */
export interface AcceptedMessage {
  text: string;
  at: number;
}

/** A provider on 127.0.0.1 that counts what it accepts and how often it had to throttle. */
export interface CountingFake {
  readonly kind: ProviderKind;
  /** The channel's apiUrl. */
  readonly url: string;
  readonly accepted: readonly AcceptedMessage[];
  /** Rate-limit answers given: Telegram 429, WeCom 45009, DingTalk 130101. */
  readonly rateLimited: number;
  close(): Promise<void>;
}

export interface Limit {
  max: number;
  perMs: number;
}

/** A group chat or robot takes 20 messages a minute (Telegram groups, WeCom and DingTalk robots). */
export const PROVIDER_LIMIT: Limit = { max: 20, perMs: 60_000 };
const DINGTALK_PENALTY_MS = 10 * 60_000;
const PATHS: Record<ProviderKind, RegExp> = {
  telegram: /^\/bot[^/]+\/sendMessage$/,
  wecom: /^\/cgi-bin\/webhook\/send$/,
  dingtalk: /^\/robot\/send$/,
};

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Answers like the real provider: its success body, or its rate-limit answer when a message
 * would be one more than `limit` within any sliding window (a strict provider's way of
 * counting). DingTalk also keeps throttling for 10 minutes after the first excess, as it does.
 * Self-contained so the storm never depends on the test fakes' options.
 */
export async function startCountingFake(kind: ProviderKind, limit: Limit = PROVIDER_LIMIT): Promise<CountingFake> {
  const accepted: AcceptedMessage[] = [];
  const window: number[] = [];
  let rateLimited = 0;
  let penaltyUntil = 0;

  const answer = (body: unknown): Reply => {
    const now = Date.now();
    while (window.length > 0 && window[0]! <= now - limit.perMs) window.shift();
    if (window.length >= limit.max || now < penaltyUntil) {
      rateLimited += 1;
      if (kind === 'dingtalk' && now >= penaltyUntil) penaltyUntil = now + DINGTALK_PENALTY_MS;
      return throttled(kind, Math.max(1, Math.ceil(((window[0] ?? now) + limit.perMs - now) / 1000)));
    }
    window.push(now);
    accepted.push({ text: textOf(kind, body), at: now });
    return success(kind, accepted.length, body);
  };

  const server = createServer((req, res) => {
    void readJson(req).then((body) => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      send(res, req.method === 'POST' && PATHS[kind].test(path) ? answer(body) : { status: 404, body: { error: 'not found' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    kind,
    url: `http://127.0.0.1:${port}`,
    accepted,
    get rateLimited() {
      return rateLimited;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function success(kind: ProviderKind, messageId: number, body: unknown): Reply {
  if (kind !== 'telegram') return { status: 200, body: { errcode: 0, errmsg: 'ok' } };
  const chatId = Number(field(body, 'chat_id'));
  const chat = { id: chatId, title: 'storm', type: 'supergroup' };
  return { status: 200, body: { ok: true, result: { message_id: messageId, chat, date: Math.floor(Date.now() / 1000), text: textOf(kind, body) } } };
}

function throttled(kind: ProviderKind, retryAfterS: number): Reply {
  switch (kind) {
    case 'telegram':
      // The Bot API gives the wait both as parameters.retry_after and as a Retry-After header.
      return {
        status: 429,
        body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfterS}`, parameters: { retry_after: retryAfterS } },
        headers: { 'Retry-After': String(retryAfterS) },
      };
    case 'wecom':
      // WeCom and DingTalk answer HTTP 200 with an errcode.
      return { status: 200, body: { errcode: 45009, errmsg: 'api freq out of limit' } };
    case 'dingtalk':
      return { status: 200, body: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' } };
  }
}

/** The message text: Telegram's `text`; the robots' markdown `content`/`text` or text `content`. */
function textOf(kind: ProviderKind, body: unknown): string {
  if (kind === 'telegram') return String(field(body, 'text') ?? '');
  const part = field(body, String(field(body, 'msgtype')));
  return String(field(part, 'content') ?? field(part, 'text') ?? '');
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body));
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => resolve(undefined));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      } catch {
        resolve(undefined); // not JSON: counted as an empty message, which the tally reports as unrecognised
      }
    });
  });
}
