import { createHmac } from 'node:crypto';
import type { FakeReply, FakeRequest } from './fake-http';
import { slidingWindow } from './sliding-window';
import { startScriptedRobot, type RobotAnswer, type ScriptedRobot } from './scripted-robot';

export type { FakeReply, FakeRequest } from './fake-http';

/**
 * A fake Feishu / Lark custom bot on 127.0.0.1, port 0, answering like open.feishu.cn
 * (docs/providers.md §6): {"code","msg","data"} with HTTP 200 for the 19xxx errors, HTTP 400 for
 * 9499 ("too many request", "Bad Request"), and the legacy StatusCode pair on success.
 *
 *   const bot = await startFakeFeishu({ secret: FAKE_FEISHU_SECRET, keywords: ['告警'] });
 *   channel config: { type: 'feishu', apiUrl: bot.url, token: FAKE_FEISHU_TOKEN, secret, keyword }
 *   bot.script('tooManyRequests', 'ok');           // the next answers, in order
 *
 * Unscripted requests (and 'ok') get the real checks, in this order: path not
 * /open-apis/bot/v2/hook/<token> 404, unknown token 19001, body not JSON 9499 "Bad Request", with a
 * secret: timestamp or sign missing, timestamp not in seconds within an hour, or a sign other than
 * base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = "")) 19021; msg_type missing or
 * unknown 19002; with keywords: none in the message's texts 19024; body over 20 KB 9499 "Bad
 * Request"; more than `perSecond` in 1 s or `perMinute` in 60 s 9499 "too many request" (counted
 * in `rateLimited`); else success.
 * Scripted: 'tooManyRequests' (400, 9499) 'systemLoad' (11232) 'ipNotAllowed' (19022)
 * 'badGatewayHtml' 'hang' 'closeSocket', a { code, msg } (HTTP 200) or { status, body, headers? }
 * verbatim.
 */
export interface FakeFeishu extends ScriptedRobot<FakeFeishuAnswer> {
  /** How many "too many request" answers the fake's own counters gave (scripted ones not included). */
  readonly rateLimited: number;
}

export type FakeFeishuAnswer = 'tooManyRequests' | 'systemLoad' | 'ipNotAllowed' | Exclude<RobotAnswer, { errcode: number }> | { code: number; msg: string };

export interface FakeFeishuOptions {
  token?: string;
  /** The bot's "签名校验" secret; unset means the bot does not check signatures. */
  secret?: string;
  /** The bot's custom keywords; a message must contain one of them. */
  keywords?: string[];
  perSecond?: number;
  perMinute?: number;
}

export const FAKE_FEISHU_TOKEN = '2f8c1a5e-93b4-4d7a-b1e6-7c0d5f3a9e21';
export const FAKE_FEISHU_SECRET = 'qJ3vX8mN2pL5tR7wY9zB4c';
export const FEISHU_SEND_PATH = '/open-apis/bot/v2/hook/';
const MAX_BODY_BYTES = 20 * 1024;
const MSG_TYPES = new Set(['text', 'post', 'interactive', 'image', 'share_chat']);
export const FEISHU_MSG = {
  signMismatch: 'sign match fail or timestamp is not within one hour from current time',
  keywordsNotFound: 'Key Words Not Found',
  tokenInvalid: 'param invalid: incoming webhook access token invalid',
  msgTypeNeeded: 'params error, msg_type need',
  tooManyRequests: 'too many request',
  badRequest: 'Bad Request',
} as const;

/** An answer as the bot gives it: errors {"code","data","msg"} (§6.1). */
export function feishuReply(code: number, msg: string, status = 200): FakeReply {
  return { status, body: JSON.stringify({ code, data: {}, msg }), headers: { 'Content-Type': 'application/json; charset=utf-8' } };
}

const SUCCESS: FakeReply = {
  status: 200,
  body: JSON.stringify({ StatusCode: 0, StatusMessage: 'success', code: 0, data: {}, msg: 'success' }),
  headers: { 'Content-Type': 'application/json; charset=utf-8' },
};

export async function startFakeFeishu(options: FakeFeishuOptions = {}): Promise<FakeFeishu> {
  const token = options.token ?? FAKE_FEISHU_TOKEN;
  const perSecond = slidingWindow(options.perSecond ?? 5, 1000);
  const perMinute = slidingWindow(options.perMinute ?? 100, 60_000);
  let rateLimited = 0;

  const answerLikeFeishu = (request: FakeRequest): FakeReply => {
    if (request.method !== 'POST' || !request.path.startsWith(FEISHU_SEND_PATH)) return { status: 404, body: '404 page not found', headers: { 'Content-Type': 'text/plain' } };
    if (request.path.slice(FEISHU_SEND_PATH.length) !== token) return feishuReply(19001, FEISHU_MSG.tokenInvalid);
    const { body } = request;
    if (!isRecord(body)) return feishuReply(9499, FEISHU_MSG.badRequest, 400);
    if (options.secret && !validSignature(body, options.secret)) return feishuReply(19021, FEISHU_MSG.signMismatch);
    if (typeof body.msg_type !== 'string' || !MSG_TYPES.has(body.msg_type)) return feishuReply(19002, FEISHU_MSG.msgTypeNeeded);
    const texts = textsOf(body.msg_type === 'interactive' ? body.card : body.content);
    if (options.keywords?.length && !options.keywords.some((k) => texts.some((t) => t.includes(k)))) return feishuReply(19024, FEISHU_MSG.keywordsNotFound);
    if (Buffer.byteLength(request.raw, 'utf8') > MAX_BODY_BYTES) return feishuReply(9499, FEISHU_MSG.badRequest, 400);
    const now = Date.now();
    // Both limits count every request; the one over either is refused (§6.4).
    if (!perSecond.admit(now) || !perMinute.admit(now)) {
      rateLimited += 1;
      return feishuReply(9499, FEISHU_MSG.tooManyRequests, 400);
    }
    return SUCCESS;
  };

  const robot = await startScriptedRobot(
    {
      tooManyRequests: () => feishuReply(9499, FEISHU_MSG.tooManyRequests, 400),
      systemLoad: () => feishuReply(11232, 'frequency limited'),
      ipNotAllowed: () => feishuReply(19022, 'ip not allowed'),
    },
    answerLikeFeishu,
  );
  return {
    ...robot,
    script: (...answers) => robot.script(...answers.map((a) => (typeof a === 'object' && 'code' in a ? feishuReply(a.code, a.msg) : a))),
    get rateLimited() {
      return rateLimited;
    },
  };
}

/**
 * The check as Feishu does it (§6.3): `timestamp` (Unix seconds) and `sign` in the JSON body, the
 * timestamp within an hour of the fake's clock, and sign = base64(HMAC-SHA256(key = timestamp +
 * "\n" + secret)) over an empty message. A millisecond timestamp is "not within one hour".
 */
export function validSignature(body: Record<string, unknown>, secret: string): boolean {
  const { timestamp, sign } = body;
  if ((typeof timestamp !== 'string' && typeof timestamp !== 'number') || typeof sign !== 'string') return false;
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds) || Math.abs(Date.now() / 1000 - seconds) > 3600) return false;
  return sign === createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
}

/** Every text a reader sees (text, titles, card contents); link targets do not count (§6.3). */
function textsOf(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return ['url', 'href', 'tag', 'template'].includes(key) ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((v) => textsOf(v));
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => textsOf(v, k));
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
