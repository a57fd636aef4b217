import { parseTelegramHtml } from './telegram-html';

/**
 * What the fake Bot API answers, built from the real server's texts (docs/providers.md §1.1, §1.8):
 * canned failures for scripting, and sendMessage checked in the real server's order (§1.5).
 */

export interface FakeChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  /** Lets chat_id "@username" find the chat, like a public channel. */
  username?: string;
}

export interface FakeReply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** The answers a test can script; 'ok' means "behave like the real server". */
export type FakeTelegramAnswer =
  | 'ok'
  | 'chatNotFound'
  | 'unauthorized'
  | 'botKicked'
  | 'notFound'
  | 'internalError'
  | 'badGatewayHtml'
  | 'hang'
  | 'closeSocket'
  | { tooManyRequests: number }
  | FakeReply;

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n';

export function failureReply(status: number, description: string, parameters?: Record<string, number>): FakeReply {
  const body = { ok: false, error_code: status, description, ...(parameters && { parameters }) };
  return { status, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } };
}

/** The canned reply for a scripted answer; undefined for 'ok', 'hang' and 'closeSocket'. */
export function cannedReply(answer: FakeTelegramAnswer): FakeReply | undefined {
  if (typeof answer === 'object') {
    if (!('tooManyRequests' in answer)) return answer;
    // Query::set_retry_after_error: the header and parameters.retry_after carry the same seconds.
    const seconds = answer.tooManyRequests;
    const reply = failureReply(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
    return { ...reply, headers: { ...reply.headers, 'Retry-After': String(seconds) } };
  }
  switch (answer) {
    case 'chatNotFound':
      return failureReply(400, 'Bad Request: chat not found');
    case 'unauthorized':
      return failureReply(401, 'Unauthorized');
    case 'botKicked':
      return failureReply(403, 'Forbidden: bot was kicked from the supergroup chat');
    case 'notFound':
      return failureReply(404, 'Not Found');
    case 'internalError':
      return failureReply(500, 'Internal Server Error: restart');
    case 'badGatewayHtml':
      return { status: 502, body: NGINX_502, headers: { 'Content-Type': 'text/html' } };
    default:
      return undefined;
  }
}

export interface BotState {
  token: string;
  chats: FakeChat[];
  nextMessageId: Map<number, number>;
}

/** The real server's answer to `/bot<token>/<method>` with these parameters. */
export function answerLikeTelegram(state: BotState, botPath: string, params: Record<string, unknown>): FakeReply {
  const match = /^\/bot([^/]*)\/([^/]+)$/.exec(botPath);
  // A token that is not "<digits>:<secret>" cannot be routed at all: 404, not 401 (§1.2).
  if (!match || !/^\d+:[\w-]+$/.test(match[1] ?? '')) return failureReply(404, 'Not Found');
  if (match[1] !== state.token) return failureReply(401, 'Unauthorized');
  if (match[2]?.toLowerCase() !== 'sendmessage') return failureReply(404, 'Not Found: method not found');

  const chatId = params.chat_id === undefined ? '' : String(params.chat_id);
  const text = typeof params.text === 'string' ? params.text : '';
  const parseMode = typeof params.parse_mode === 'string' ? params.parse_mode.toLowerCase() : '';
  if (chatId === '') return failureReply(400, 'Bad Request: chat_id is empty');
  if (text === '') return failureReply(400, 'Bad Request: message text is empty');
  if (Buffer.byteLength(text, 'utf8') > 32768) return failureReply(400, 'Bad Request: text is too long');
  if (!['', 'html', 'markdown', 'markdownv2'].includes(parseMode)) return failureReply(400, 'Bad Request: unsupported parse_mode');
  // Only HTML is parsed; Markdown text is taken as plain (the gateway sends HTML only).
  const parsed = parseMode === 'html' ? parseTelegramHtml(text) : { ok: true as const, text };
  if (!parsed.ok) return failureReply(400, `Bad Request: can't parse entities: ${parsed.error}`);
  const chat = state.chats.find((c) => String(c.id) === chatId || (c.username !== undefined && `@${c.username}` === chatId));
  if (!chat) return failureReply(400, 'Bad Request: chat not found');
  // The server trims trailing whitespace, then counts code points against 4096 (§1.6).
  const visible = parsed.text.trimEnd();
  if (visible.trim() === '') return failureReply(400, 'Bad Request: text must be non-empty');
  if ([...visible].length > 4096) return failureReply(400, 'Bad Request: message is too long');

  const messageId = state.nextMessageId.get(chat.id) ?? 1;
  state.nextMessageId.set(chat.id, messageId + 1);
  const threadId = typeof params.message_thread_id === 'number' ? params.message_thread_id : undefined;
  const result = {
    message_id: messageId,
    ...(threadId !== undefined && { message_thread_id: threadId, is_topic_message: true }),
    from: { id: Number(state.token.split(':')[0]), is_bot: true, first_name: 'Fake Bot', username: 'fake_bot' },
    chat: { id: chat.id, type: chat.type, ...(chat.username !== undefined && { username: chat.username }) },
    date: Math.floor(Date.now() / 1000),
    text: visible,
  };
  return { status: 200, body: JSON.stringify({ ok: true, result }), headers: { 'Content-Type': 'application/json' } };
}
