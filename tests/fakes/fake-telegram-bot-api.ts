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
  /** Takes the message like Telegram (the chat shows it) but never answers: a send whose outcome the sender cannot know. */
  | 'acceptThenHang'
  | 'closeSocket'
  | { tooManyRequests: number }
  | FakeReply;

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n';

export function failureReply(status: number, description: string, parameters?: Record<string, number>): FakeReply {
  const body = { ok: false, error_code: status, description, ...(parameters && { parameters }) };
  return { status, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } };
}

/** The canned reply for a scripted answer; undefined for 'ok', 'hang', 'acceptThenHang' and 'closeSocket'. */
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

/** A message the fake remembers, as the chat would show it. */
export interface StoredMessage {
  messageId: number;
  chatId: number;
  /** The text as sent (HTML included), to tell "not modified" from a change. */
  raw: string;
  parseMode: string;
  /** What the chat shows: the text after entity parsing. */
  text: string;
  /** Unix seconds, as the Bot API's `date`; a test moves it back to age the message. */
  date: number;
  editDate?: number;
  replyTo?: number;
  deleted?: boolean;
}

export interface BotState {
  token: string;
  chats: FakeChat[];
  nextMessageId: Map<number, number>;
  messages: Map<string, StoredMessage>;
  /** Messages older than this (seconds) answer "message can't be edited", as TDLib refuses old edits. */
  editLimitSeconds?: number;
}

const NOT_MODIFIED = 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
const storedKey = (chatId: number, messageId: number) => `${chatId}:${messageId}`;
const jsonReply = (result: unknown): FakeReply => ({ status: 200, body: JSON.stringify({ ok: true, result }), headers: { 'Content-Type': 'application/json' } });

/** The real server's answer to `/bot<token>/<method>` with these parameters. */
export function answerLikeTelegram(state: BotState, botPath: string, params: Record<string, unknown>): FakeReply {
  const match = /^\/bot([^/]*)\/([^/]+)$/.exec(botPath);
  // A token that is not "<digits>:<secret>" cannot be routed at all: 404, not 401 (§1.2).
  if (!match || !/^\d+:[\w-]+$/.test(match[1] ?? '')) return failureReply(404, 'Not Found');
  if (match[1] !== state.token) return failureReply(401, 'Unauthorized');
  const method = match[2]?.toLowerCase();
  if (method !== 'sendmessage' && method !== 'editmessagetext') return failureReply(404, 'Not Found: method not found');

  // §1.5 order: text checks and entity parsing first, then (sendMessage) reply parameters, then the chat.
  const text = typeof params.text === 'string' ? params.text : '';
  const parseMode = typeof params.parse_mode === 'string' ? params.parse_mode.toLowerCase() : '';
  if (method === 'sendmessage' && (params.chat_id === undefined ? '' : String(params.chat_id)) === '') return failureReply(400, 'Bad Request: chat_id is empty');
  if (text === '') return failureReply(400, 'Bad Request: message text is empty');
  if (Buffer.byteLength(text, 'utf8') > 32768) return failureReply(400, 'Bad Request: text is too long');
  if (!['', 'html', 'markdown', 'markdownv2'].includes(parseMode)) return failureReply(400, 'Bad Request: unsupported parse_mode');
  // Only HTML is parsed; Markdown text is taken as plain (the gateway sends HTML only).
  const parsed = parseMode === 'html' ? parseTelegramHtml(text) : { ok: true as const, text };
  if (!parsed.ok) return failureReply(400, `Bad Request: can't parse entities: ${parsed.error}`);
  const reply = method === 'sendmessage' ? replyParameters(params.reply_parameters) : undefined;
  if (reply && 'error' in reply) return failureReply(400, reply.error);
  const chatId = params.chat_id === undefined ? '' : String(params.chat_id);
  const chat = state.chats.find((c) => String(c.id) === chatId || (c.username !== undefined && `@${c.username}` === chatId));
  if (!chat) return failureReply(400, 'Bad Request: chat not found');
  // The server trims trailing whitespace, then counts code points against 4096 (§1.6).
  const visible = parsed.text.trimEnd();
  if (visible.trim() === '') return failureReply(400, 'Bad Request: text must be non-empty');
  if ([...visible].length > 4096) return failureReply(400, 'Bad Request: message is too long');
  const from = { id: Number(state.token.split(':')[0]), is_bot: true, first_name: 'Fake Bot', username: 'fake_bot' };
  const chatView = { id: chat.id, type: chat.type, ...(chat.username !== undefined && { username: chat.username }) };
  const now = Math.floor(Date.now() / 1000);

  if (method === 'editmessagetext') {
    // §1.4: the message is looked up, TDLib decides whether it may be edited, then the content is compared.
    if (params.message_id === undefined && params.inline_message_id === undefined) return failureReply(400, 'Bad Request: message identifier is not specified');
    const stored = state.messages.get(storedKey(chat.id, Number(params.message_id)));
    if (!stored || stored.deleted) return failureReply(400, 'Bad Request: message to edit not found');
    if (state.editLimitSeconds !== undefined && now - stored.date > state.editLimitSeconds) return failureReply(400, "Bad Request: message can't be edited");
    if (stored.raw === text && stored.parseMode === parseMode) return failureReply(400, NOT_MODIFIED);
    Object.assign(stored, { raw: text, parseMode, text: visible, editDate: now });
    return jsonReply({ message_id: stored.messageId, from, chat: chatView, date: stored.date, edit_date: now, text: visible });
  }

  let replyTo: StoredMessage | undefined;
  if (reply?.messageId !== undefined) {
    const target = state.messages.get(storedKey(chat.id, reply.messageId));
    if (target && !target.deleted) replyTo = target;
    else if (!reply.allowWithout) return failureReply(400, 'Bad Request: message to be replied not found');
  }
  const messageId = state.nextMessageId.get(chat.id) ?? 1;
  state.nextMessageId.set(chat.id, messageId + 1);
  state.messages.set(storedKey(chat.id, messageId), { messageId, chatId: chat.id, raw: text, parseMode, text: visible, date: now, ...(replyTo && { replyTo: replyTo.messageId }) });
  const threadId = typeof params.message_thread_id === 'number' ? params.message_thread_id : undefined;
  return jsonReply({
    message_id: messageId,
    ...(threadId !== undefined && { message_thread_id: threadId, is_topic_message: true }),
    from,
    chat: chatView,
    date: now,
    text: visible,
    // The replied message, without its own reply_to_message (Bot API Message docs).
    ...(replyTo && { reply_to_message: { message_id: replyTo.messageId, from, chat: chatView, date: replyTo.date, text: replyTo.text } }),
  });
}

/** `reply_parameters` read like the server does (§1.4): a JSON string in form encoding, an object in JSON. */
function replyParameters(value: unknown): { messageId?: number; allowWithout: boolean } | { error: string } | undefined {
  if (value === undefined) return undefined;
  let object: unknown = value;
  if (typeof value === 'string') {
    try {
      object = JSON.parse(value) as unknown;
    } catch {
      return { error: "Bad Request: can't parse reply parameters JSON object" };
    }
  }
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return { error: 'Bad Request: object expected as reply parameters' };
  const fields = object as Record<string, unknown>;
  // An empty object means "no reply".
  if (Object.keys(fields).length === 0) return { allowWithout: false };
  if (!('message_id' in fields)) return { error: 'Bad Request: can\'t find field "message_id"' };
  if (typeof fields.message_id !== 'number') return { error: 'Bad Request: field "message_id" must be a Number' };
  const allow = fields.allow_sending_without_reply;
  return { messageId: fields.message_id, allowWithout: allow === true || allow === 'true' || allow === 1 };
}
