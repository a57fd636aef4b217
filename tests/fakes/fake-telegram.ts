import { createServer, type IncomingMessage, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerLikeTelegram, cannedReply, failureReply, type BotState, type FakeChat, type FakeTelegramAnswer } from './fake-telegram-bot-api';

export type { FakeChat, FakeTelegramAnswer } from './fake-telegram-bot-api';

/**
 * A fake Telegram Bot API on 127.0.0.1, port 0, answering like api.telegram.org.
 *
 *   const tg = await startFakeTelegram();            // defaults: FAKE_TELEGRAM_TOKEN, FAKE_TELEGRAM_CHAT
 *   channel config: { apiUrl: tg.url, botToken: tg.token, chatId: String(FAKE_TELEGRAM_CHAT.id) }
 *   tg.script('chatNotFound', { tooManyRequests: 3 }); // the next answers, in order
 *   const [request] = await tg.waitForRequests(1, 2000);
 *   request.body                                       // the parsed JSON (or form) body
 *   await tg.close();
 *
 * Unscripted requests (and 'ok') get the real behaviour: wrong token 401, malformed token 404,
 * unknown chat 400 "chat not found", bad HTML 400 "can't parse entities: ...", more than 4096
 * visible characters 400 "message is too long", else {"ok":true,"result":Message}.
 * Scripted answers: 'chatNotFound' 'unauthorized' 'botKicked' 'notFound' 'internalError' (JSON 500)
 * 'badGatewayHtml' (nginx 502 page) 'hang' (never answers) 'closeSocket' (drops the connection)
 * { tooManyRequests: seconds } (429 + Retry-After) or { status, body, headers? } verbatim.
 * respondWith(answer) sets what unscripted requests get from then on (a provider outage:
 * respondWith('badGatewayHtml'); respondWith('ok') restores the real behaviour).
 * With `limit`, a message Telegram would accept while `max` were already accepted in the last
 * `perMs` (a sliding window, as a strict provider counts) gets 429 with retry_after instead,
 * counted in `rateLimited`.
 */
export interface FakeTelegram {
  /** Use as the channel's apiUrl; includes pathPrefix. */
  readonly url: string;
  readonly token: string;
  /** Every request received, in order, answered or not. */
  readonly requests: readonly FakeTelegramRequest[];
  script(...answers: FakeTelegramAnswer[]): void;
  /** The answer for unscripted requests from now on; 'ok' (the default) behaves like Telegram. */
  respondWith(answer: FakeTelegramAnswer): void;
  /** How many 429 answers `limit` gave (scripted ones not included). */
  readonly rateLimited: number;
  /** Resolves with all requests once at least n arrived; rejects after timeoutMs. */
  waitForRequests(n: number, timeoutMs?: number): Promise<readonly FakeTelegramRequest[]>;
  close(): Promise<void>;
}

export interface FakeTelegramRequest {
  method: string;
  /** Full path, prefix and token included, e.g. "/proxy/bot123:abc/sendMessage". */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON or form body; undefined when empty or unreadable. */
  body: unknown;
  /** Date.now() when the body had arrived. */
  receivedAt: number;
}

export interface FakeTelegramOptions {
  token?: string;
  chats?: FakeChat[];
  /** Serve under a path, like a Bot API behind a proxy: "/proxy/telegram". */
  pathPrefix?: string;
  /** Answer 429 to a message beyond `max` accepted in any `perMs` (sliding), like a strict provider. */
  limit?: { max: number; perMs: number };
}

export const FAKE_TELEGRAM_TOKEN = '123456789:AAHfakeTokenForTests_0123456789-abcdef';
export const FAKE_TELEGRAM_CHAT: FakeChat = { id: -1001234567890, type: 'supergroup' };

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const state: BotState = { token: options.token ?? FAKE_TELEGRAM_TOKEN, chats: options.chats ?? [FAKE_TELEGRAM_CHAT], nextMessageId: new Map() };
  const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
  const requests: FakeTelegramRequest[] = [];
  const queue: FakeTelegramAnswer[] = [];
  const waiters = new Set<() => void>();
  const accepted: number[] = [];
  let unscripted: FakeTelegramAnswer = 'ok';
  let rateLimited = 0;

  /** The 429 a strict provider gives a message over its limit; undefined counts the message as accepted. */
  const overLimit = (now: number) => {
    if (!options.limit) return undefined;
    const { max, perMs } = options.limit;
    while (accepted.length > 0 && accepted[0]! <= now - perMs) accepted.shift();
    if (accepted.length < max) {
      accepted.push(now);
      return undefined;
    }
    rateLimited += 1;
    return cannedReply({ tooManyRequests: Math.max(1, Math.ceil((accepted[0]! + perMs - now) / 1000)) });
  };

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = parseBody(raw, req.headers['content-type']);
      const receivedAt = Date.now();
      requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body, receivedAt });
      waiters.forEach((check) => check());
      const answer = queue.shift() ?? unscripted;
      if (answer === 'hang') return;
      if (answer === 'closeSocket') return void req.socket.destroy();
      const params = { ...Object.fromEntries(url.searchParams), ...(isRecord(body) ? body : {}) };
      const canned = cannedReply(answer);
      let reply = canned ?? (url.pathname.startsWith(`${prefix}/`) ? answerLikeTelegram(state, url.pathname.slice(prefix.length), params) : failureReply(404, 'Not Found'));
      if (!canned && reply.status === 200) reply = overLimit(receivedAt) ?? reply;
      res.writeHead(reply.status, reply.headers).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    token: state.token,
    requests,
    script: (...answers) => void queue.push(...answers),
    respondWith: (answer) => void (unscripted = answer),
    get rateLimited() {
      return rateLimited;
    },
    waitForRequests: (n, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake Telegram: expected ${n} request(s) within ${timeoutMs} ms, got ${requests.length}`));
        }, timeoutMs);
        const check = () => {
          if (requests.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(requests);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
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

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined; // recorded as "unreadable"; the real server would find no parameters either
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
