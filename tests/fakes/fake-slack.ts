import { BAD_GATEWAY_HTML, startFakeHttp, type FakeHttp, type FakeOutcome, type FakeReply, type FakeRequest } from './fake-http';
import { slidingWindow } from './sliding-window';

export type { FakeRequest } from './fake-http';

/**
 * A fake Slack on 127.0.0.1, port 0: incoming webhooks at /services/… and the Web API's
 * chat.postMessage and chat.update at /api/…, answering like Slack (docs/providers.md §5).
 *
 *   const slack = await startFakeSlack();
 *   webhook channel: { type: 'slack', webhookUrl: slack.webhookUrl }
 *   bot channel:     { type: 'slack', apiUrl: slack.url, botToken: FAKE_SLACK_BOT_TOKEN, channel: FAKE_SLACK_CHANNEL.id }
 *   slack.script({ webhookError: 'no_service' }, 'ok');   // the next answers, in order
 *
 * Webhooks, unscripted: unknown hook path 404 `no_service` (HTTP 403 `invalid_token` for a known
 * team and bot with a wrong secret); not POST 405; a body that is not JSON 400 `invalid_payload`;
 * no text 400 `no_text`; blocks breaking Block Kit's limits 400 `invalid_blocks`; more than
 * `perSecond` in a second 429 with `Retry-After: 1` and {"retry_after":1,"ok":false,"error":"rate_limited"};
 * else 200 `ok` (text/html, as Slack sends it).
 * Web API, unscripted: no Bearer token `not_authed`, another token `invalid_auth`, no Content-Type
 * `missing_post_type`, not JSON `invalid_json`, unknown channel `channel_not_found`, a channel
 * the bot is not in `not_in_channel`, no text/blocks/attachments `no_text`, bad blocks
 * `invalid_blocks` with response_metadata.messages, text over 40,000 `msg_too_long` (all HTTP 200
 * {"ok":false,"error"}); over `perSecond` 429 `ratelimited` with Retry-After; else
 * {"ok":true,"channel":<id>,"ts":"<seconds>.<6 digits>","message":{…}}. A `thread_ts` that is not
 * a "<digits>.<digits>" string is `invalid_thread_ts`; a well-formed one naming no message is
 * accepted but shows nowhere (`lost`, as Slack does, §5.3).
 * chat.update, unscripted: the same auth and content checks; `channel` must be the ID; a ts the
 * fake never posted (or deleted) `message_not_found`; else the message is replaced and
 * {"ok":true,"channel","ts","text","message"} — an identical update is ok too (no "not modified").
 * refuseBlocks() makes every request with blocks or attachments `invalid_blocks` (a template
 * Slack cannot take), as a webhook 400 or a Web API error.
 * Scripted: 'ok', { webhookError }, { apiError }, 'throttled' (429 + Retry-After: 1),
 * 'badGatewayHtml', 'hang', 'closeSocket', or a FakeReply verbatim.
 */
export interface FakeSlack extends FakeHttp {
  /** An incoming webhook URL this fake accepts. */
  readonly webhookUrl: string;
  /** Posts the fake accepted, with the ts it answered (the Web API) per request. */
  readonly posted: ReadonlyArray<SlackPost>;
  /** chat.update calls the fake accepted, in order. */
  readonly updated: ReadonlyArray<{ request: FakeRequest; channel: string; ts: string }>;
  /** What the channel shows now for "<channel ID>:<ts>": the latest post or update. */
  message(id: string): SlackMessage | undefined;
  /** Someone deleted the message: later chat.update calls on it answer message_not_found. */
  deleteMessage(id: string): void;
  /** From now on (or no longer), blocks and attachments are refused with invalid_blocks. */
  refuseBlocks(refuse?: boolean): void;
  script(...answers: FakeSlackAnswer[]): void;
}

export interface SlackPost {
  request: FakeRequest;
  channel: string;
  ts?: string;
  /** The parent's ts, for a thread reply. */
  threadTs?: string;
  /** A reply whose thread_ts names no message: Slack says ok and shows it nowhere. */
  lost?: boolean;
}

export interface SlackMessage {
  text?: string;
  blocks?: unknown;
  attachments?: unknown;
  /** ts of the replies in its thread, oldest first. */
  replies: string[];
}

export type FakeSlackAnswer = 'ok' | 'throttled' | 'badGatewayHtml' | 'hang' | 'closeSocket' | { webhookError: WebhookError } | { apiError: string } | FakeReply;

export const FAKE_SLACK_WEBHOOK_PATH = '/services/T0FAKE0001/B0FAKE0002/Zq8wLk3vN5pXr2TbYc7dHs9M';
export const FAKE_SLACK_BOT_TOKEN = 'xoxb-1234567890123-2345678901234-aBcDeFgHiJkLmNoPqRsTuVwX';
export const FAKE_SLACK_CHANNEL = { id: 'C024BE91L', name: 'alerts' };
/** A channel that exists but the bot was never invited to. */
export const FAKE_SLACK_OTHER_CHANNEL = { id: 'C07OTHER42', name: 'random' };

/** The statuses Slack gives each webhook error (docs/providers.md §5.1). */
export const WEBHOOK_ERROR_STATUS = {
  invalid_payload: 400, no_text: 400, invalid_blocks: 400, too_many_attachments: 400, user_not_found: 400,
  action_prohibited: 403, invalid_token: 403, posting_to_general_channel_denied: 403,
  channel_not_found: 404, no_service: 404, no_team: 404, team_disabled: 404,
  channel_is_archived: 410, rollup_error: 500,
} as const;
export type WebhookError = keyof typeof WEBHOOK_ERROR_STATUS;

export interface FakeSlackOptions {
  /** Messages accepted per second and destination before 429 (Slack: 1/s with short bursts). */
  perSecond?: number;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const perSecond = options.perSecond ?? 3;
  const windows = new Map<string, ReturnType<typeof slidingWindow>>();
  const admit = (destination: string) => {
    let window = windows.get(destination);
    if (!window) windows.set(destination, (window = slidingWindow(perSecond, 1000)));
    return window.admit(Date.now());
  };
  const posted: SlackPost[] = [];
  const updated: Array<{ request: FakeRequest; channel: string; ts: string }> = [];
  const messages = new Map<string, SlackMessage>();
  const queue: FakeSlackAnswer[] = [];
  let lastTs = 0;
  let blocksRefused = false;
  const refusal = (body: Record<string, unknown>) =>
    blocksRefused && (body.blocks !== undefined || body.attachments !== undefined) ? '[ERROR] failed to match all allowed schemas [json-pointer:/blocks/0/text]' : blockProblem(body);

  const answerLikeSlack = (request: FakeRequest): FakeReply => {
    if (request.path.startsWith('/services/')) return answerWebhook(request);
    if (request.path === '/api/chat.postMessage') return answerPostMessage(request);
    if (request.path === '/api/chat.update') return answerUpdate(request);
    return { status: 404, body: '<html><body>404 Not Found</body></html>', headers: { 'Content-Type': 'text/html' } };
  };

  const answerWebhook = (request: FakeRequest): FakeReply => {
    if (request.path !== FAKE_SLACK_WEBHOOK_PATH) {
      const [team, bot] = request.path.split('/').slice(2);
      const known = FAKE_SLACK_WEBHOOK_PATH.startsWith(`/services/${team}/${bot}/`);
      return webhookError(known ? 'invalid_token' : 'no_service');
    }
    if (request.method !== 'POST') return { status: 405, body: 'invalid_method', headers: { 'Content-Type': 'text/html' } };
    const body = request.body;
    if (!isRecord(body)) return webhookError('invalid_payload');
    if (!hasContent(body)) return webhookError('no_text');
    if (refusal(body)) return webhookError('invalid_blocks');
    if (!admit('webhook')) {
      return { status: 429, body: JSON.stringify({ retry_after: 1, ok: false, error: 'rate_limited' }), headers: { 'Content-Type': 'application/json', 'Retry-After': '1' } };
    }
    posted.push({ request, channel: FAKE_SLACK_CHANNEL.id });
    return { status: 200, body: 'ok', headers: { 'Content-Type': 'text/html' } };
  };

  /** The checks chat.postMessage and chat.update share: the token and the body; the body, or the error answer. */
  const checkApiCall = (request: FakeRequest): { body: Record<string, unknown> } | { reply: FakeReply } => {
    const auth = request.headers.authorization;
    if (!auth?.startsWith('Bearer ')) return { reply: apiError('not_authed') };
    if (auth !== `Bearer ${FAKE_SLACK_BOT_TOKEN}`) return { reply: apiError('invalid_auth') };
    if (!request.headers['content-type']) return { reply: apiError('missing_post_type') };
    const body = request.body;
    if (!isRecord(body)) return { reply: apiError(request.raw.trim().startsWith('{') ? 'invalid_json' : 'json_not_object') };
    return { body };
  };
  const contentProblem = (body: Record<string, unknown>): FakeReply | undefined => {
    if (!hasContent(body)) return apiError('no_text');
    const problem = refusal(body);
    if (problem) return apiError('invalid_blocks', { response_metadata: { messages: [problem] } });
    if (typeof body.text === 'string' && body.text.length > 40_000) return apiError('msg_too_long');
    return undefined;
  };
  const throttled = (): FakeReply => ({ status: 429, body: JSON.stringify({ ok: false, error: 'ratelimited' }), headers: { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '1' } });
  const content = (body: Record<string, unknown>, replies: string[]): SlackMessage => ({
    ...(typeof body.text === 'string' && { text: body.text }),
    ...(body.blocks !== undefined && { blocks: body.blocks }),
    ...(body.attachments !== undefined && { attachments: body.attachments }),
    replies,
  });

  const answerPostMessage = (request: FakeRequest): FakeReply => {
    const checked = checkApiCall(request);
    if ('reply' in checked) return checked.reply;
    const { body } = checked;
    const channel = [FAKE_SLACK_CHANNEL, FAKE_SLACK_OTHER_CHANNEL].find((c) => [c.id, c.name, `#${c.name}`].includes(String(body.channel)));
    if (!channel) return apiError('channel_not_found');
    if (channel !== FAKE_SLACK_CHANNEL) return apiError('not_in_channel');
    if (body.thread_ts !== undefined && (typeof body.thread_ts !== 'string' || !/^\d+\.\d+$/.test(body.thread_ts))) {
      return apiError('invalid_thread_ts', { response_metadata: { messages: [`[ERROR] ${String(body.thread_ts)} is not a valid thread_ts`] } });
    }
    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
    const problem = contentProblem(body);
    if (problem) return problem;
    if (!admit(channel.id)) return throttled();
    // ts: seconds and microseconds, unique per channel.
    lastTs = Math.max(lastTs + 1, Date.now() * 1000);
    const ts = `${Math.floor(lastTs / 1e6)}.${String(lastTs % 1e6).padStart(6, '0')}`;
    const parent = threadTs === undefined ? undefined : messages.get(`${channel.id}:${threadTs}`);
    const lost = threadTs !== undefined && !parent;
    posted.push({ request, channel: channel.id, ts, ...(threadTs !== undefined && { threadTs }), ...(lost && { lost }) });
    if (!lost) messages.set(`${channel.id}:${ts}`, content(body, []));
    parent?.replies.push(ts);
    return apiReply({ ok: true, channel: channel.id, ts, message: { type: 'message', subtype: 'bot_message', bot_id: 'B0FAKEBOT1', text: body.text, ts, ...(threadTs !== undefined && { thread_ts: threadTs }) } });
  };

  const answerUpdate = (request: FakeRequest): FakeReply => {
    const checked = checkApiCall(request);
    if ('reply' in checked) return checked.reply;
    const { body } = checked;
    // chat.update takes the channel's ID only: a name is channel_not_found (§5.4).
    const channel = [FAKE_SLACK_CHANNEL, FAKE_SLACK_OTHER_CHANNEL].find((c) => c.id === body.channel);
    if (!channel) return apiError('channel_not_found');
    const id = `${channel.id}:${String(body.ts)}`;
    const existing = messages.get(id);
    if (typeof body.ts !== 'string' || !existing) return apiError('message_not_found');
    const problem = contentProblem(body);
    if (problem) return problem;
    if (!admit(`update:${channel.id}`)) return throttled();
    messages.set(id, content(body, existing.replies));
    updated.push({ request, channel: channel.id, ts: body.ts });
    return apiReply({ ok: true, channel: channel.id, ts: body.ts, text: body.text, message: { type: 'message', subtype: 'bot_message', bot_id: 'B0FAKEBOT1', text: body.text } });
  };

  const server = await startFakeHttp(
    (request): FakeOutcome => {
      const answer = queue.shift() ?? 'ok';
      if (answer === 'ok') return answerLikeSlack(request);
      if (answer === 'hang' || answer === 'closeSocket') return answer;
      if (answer === 'badGatewayHtml') return BAD_GATEWAY_HTML;
      if (answer === 'throttled') {
        return request.path.startsWith('/api/')
          ? { status: 429, body: JSON.stringify({ ok: false, error: 'ratelimited' }), headers: { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '1' } }
          : { status: 429, body: JSON.stringify({ retry_after: 1, ok: false, error: 'rate_limited' }), headers: { 'Content-Type': 'application/json', 'Retry-After': '1' } };
      }
      if ('webhookError' in answer) return webhookError(answer.webhookError);
      if ('apiError' in answer) return apiError(answer.apiError);
      return answer;
    },
    { name: 'fake Slack' },
  );
  return {
    ...server,
    webhookUrl: `${server.url}${FAKE_SLACK_WEBHOOK_PATH}`,
    posted,
    updated,
    message: (id) => messages.get(id),
    deleteMessage: (id) => void messages.delete(id),
    refuseBlocks: (refuse = true) => void (blocksRefused = refuse),
    script: (...answers) => void queue.push(...answers),
  };
}

/** A webhook error as Slack sends it: the bare error string, text/html, the status of §5.1. */
export function webhookError(error: WebhookError): FakeReply {
  return { status: WEBHOOK_ERROR_STATUS[error], body: error, headers: { 'Content-Type': 'text/html' } };
}

function apiError(error: string, extra: Record<string, unknown> = {}): FakeReply {
  return apiReply({ ok: false, error, ...extra });
}

function apiReply(body: Record<string, unknown>): FakeReply {
  return { status: 200, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json; charset=utf-8' } };
}

function hasContent(body: Record<string, unknown>): boolean {
  return (typeof body.text === 'string' && body.text.trim() !== '') || Array.isArray(body.blocks) || Array.isArray(body.attachments);
}

/** Block Kit's limits (§5.5) on the message's blocks and each attachment's, in Slack's wording; undefined when they hold. */
function blockProblem(body: Record<string, unknown>): string | undefined {
  const lists: Array<[string, unknown]> = [['/blocks', body.blocks]];
  if (Array.isArray(body.attachments)) body.attachments.forEach((a, i) => lists.push([`/attachments/${i}/blocks`, isRecord(a) ? a.blocks : undefined]));
  for (const [pointer, blocks] of lists) {
    if (blocks === undefined) continue;
    if (!Array.isArray(blocks)) return `[ERROR] must be an array [json-pointer:${pointer}]`;
    if (blocks.length > 50) return `[ERROR] no more than 50 items allowed [json-pointer:${pointer}]`;
    for (const [i, block] of blocks.entries()) {
      const text = isRecord(block) && isRecord(block.text) ? block.text.text : undefined;
      if (!isRecord(block) || block.type !== 'section' || typeof text !== 'string') return `[ERROR] unsupported block [json-pointer:${pointer}/${i}]`;
      if (text.length === 0) return `[ERROR] must be more than 0 characters [json-pointer:${pointer}/${i}/text/text]`;
      if (text.length > 3000) return `[ERROR] must be less than 3001 characters [json-pointer:${pointer}/${i}/text/text]`;
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
