import type { IncomingHttpHeaders } from 'node:http';
import { startFakeHttp, type FakeOutcome } from './fake-http';
import { slidingWindow } from './sliding-window';
import { answerLikeTelegram, cannedReply, failureReply, type BotState, type FakeChat, type FakeTelegramAnswer, type StoredMessage } from './fake-telegram-bot-api';

export type { FakeChat, FakeTelegramAnswer, StoredMessage } from './fake-telegram-bot-api';

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
 * 'badGatewayHtml' (nginx 502 page) 'hang' (never answers) 'acceptThenHang' (shows the message in the chat,
 * never answers) 'closeSocket' (drops the connection)
 * { tooManyRequests: seconds } (429 + Retry-After) or { status, body, headers? } verbatim.
 * respondWith(answer) sets what unscripted requests get from then on (a provider outage:
 * respondWith('badGatewayHtml'); respondWith('ok') restores the real behaviour).
 * With `limit`, a message Telegram would accept while `max` were already accepted in the last
 * `perMs` (a sliding window, as a strict provider counts) gets 429 with retry_after instead,
 * counted in `rateLimited`.
 * Messages are remembered: editMessageText changes one (or answers "message to edit not found",
 * "message can't be edited" past `editLimitSeconds`, "message is not modified"), and a
 * sendMessage with reply_parameters replies to one. `message(id)` is what the chat shows;
 * `deleteMessage(id)` and `ageMessage(id, seconds)` act as a user or time would.
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
  /** The message as the chat (FAKE_TELEGRAM_CHAT unless given) shows it now. */
  message(messageId: number, chatId?: number): StoredMessage | undefined;
  /** Every message the chat has, in order (deleted ones included, marked). */
  messages(chatId?: number): StoredMessage[];
  deleteMessage(messageId: number, chatId?: number): void;
  ageMessage(messageId: number, seconds: number, chatId?: number): void;
  /** From now on, messages older than this answer edits with "message can't be edited". */
  refuseEditsOlderThan(seconds: number): void;
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
  /** Messages older than this many seconds cannot be edited ("message can't be edited"). */
  editLimitSeconds?: number;
}

export const FAKE_TELEGRAM_TOKEN = '123456789:AAHfakeTokenForTests_0123456789-abcdef';
export const FAKE_TELEGRAM_CHAT: FakeChat = { id: -1001234567890, type: 'supergroup' };

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const state: BotState = { token: options.token ?? FAKE_TELEGRAM_TOKEN, chats: options.chats ?? [FAKE_TELEGRAM_CHAT], nextMessageId: new Map(), messages: new Map(),
    ...(options.editLimitSeconds !== undefined && { editLimitSeconds: options.editLimitSeconds }),
  };
  const stored = (messageId: number, chatId = FAKE_TELEGRAM_CHAT.id) => state.messages.get(`${chatId}:${messageId}`);
  const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
  const queue: FakeTelegramAnswer[] = [];
  const limiter = options.limit && slidingWindow(options.limit.max, options.limit.perMs);
  let unscripted: FakeTelegramAnswer = 'ok';
  let rateLimited = 0;

  /** The 429 a strict provider gives a message over its limit; undefined counts the message as accepted. */
  const overLimit = (now: number) => {
    if (!limiter || limiter.admit(now)) return undefined;
    rateLimited += 1;
    return cannedReply({ tooManyRequests: Math.max(1, Math.ceil((limiter.freesAt(now) - now) / 1000)) });
  };

  const server = await startFakeHttp(
    (request): FakeOutcome => {
      const answer = queue.shift() ?? unscripted;
      if (answer === 'hang' || answer === 'closeSocket') return answer;
      const params = { ...request.query, ...(isRecord(request.body) ? request.body : {}) };
      if (answer === 'acceptThenHang') {
        if (request.path.startsWith(`${prefix}/`)) answerLikeTelegram(state, request.path.slice(prefix.length), params);
        return 'hang';
      }
      const canned = cannedReply(answer);
      let reply = canned ?? (request.path.startsWith(`${prefix}/`) ? answerLikeTelegram(state, request.path.slice(prefix.length), params) : failureReply(404, 'Not Found'));
      if (!canned && reply.status === 200) reply = overLimit(request.receivedAt) ?? reply;
      return reply;
    },
    { name: 'fake Telegram', parseBody },
  );

  return {
    url: `${server.url}${prefix}`,
    token: state.token,
    requests: server.requests,
    waitForRequests: server.waitForRequests,
    close: server.close,
    script: (...answers) => void queue.push(...answers),
    respondWith: (answer) => void (unscripted = answer),
    message: (messageId, chatId) => stored(messageId, chatId),
    messages: (chatId = FAKE_TELEGRAM_CHAT.id) => [...state.messages.values()].filter((m) => m.chatId === chatId),
    deleteMessage(messageId, chatId) {
      const message = stored(messageId, chatId);
      if (message) message.deleted = true;
    },
    refuseEditsOlderThan: (seconds) => void (state.editLimitSeconds = seconds),
    ageMessage(messageId, seconds, chatId) {
      const message = stored(messageId, chatId);
      if (message) message.date -= seconds;
    },
    get rateLimited() {
      return rateLimited;
    },
  };
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
