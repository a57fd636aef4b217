import { createHmac } from 'node:crypto';
import { errcodeReply, type FakeReply, type FakeRequest } from './fake-http';
import { slidingWindow } from './sliding-window';
import { startScriptedRobot, type RobotAnswer, type ScriptedRobot } from './scripted-robot';

export type { FakeReply, FakeRequest } from './fake-http';

/**
 * A fake DingTalk custom robot on 127.0.0.1, port 0, answering like oapi.dingtalk.com
 * (docs/providers.md §3): always HTTP 200 with {"errcode","errmsg"}.
 *
 *   const dt = await startFakeDingtalk({ secret: FAKE_DINGTALK_SECRET, keywords: ['告警'] });
 *   channel config: { type: 'dingtalk', apiUrl: dt.url, accessToken: FAKE_DINGTALK_TOKEN, secret, keyword }
 *   dt.script('throttled', 'ok');                  // the next answers, in order
 *
 * Unscripted requests (and 'ok') get the real checks, in this order: not POST 43002, missing
 * access_token 40035, unknown token 300005, not JSON 43004 / 40035, with a secret: timestamp or
 * sign missing 310000 "sign not match", timestamp not in ms or more than an hour off 310000
 * "invalid timestamp", wrong sign 310000 "sign not match"; with keywords: none in the message
 * 310000 "keywords not in content"; msgtype other than text/markdown 400105; text over 20000
 * bytes 460101; more than `perMinute` accepted in 60 s 130101, and 130101 for the 10 minutes
 * after (counted in `rateLimited`); else {"errcode":0,"errmsg":"ok"}.
 * Scripted: 'throttled' (130101) 'systemBusy' (-1) 'badGatewayHtml' 'hang' 'closeSocket',
 * { errcode, errmsg } or { status, body, headers? } verbatim.
 */
export interface FakeDingtalk extends ScriptedRobot<FakeDingtalkAnswer> {
  /** How many 130101 answers the fake's own 20/min counter gave (scripted ones not included). */
  readonly rateLimited: number;
}

export type FakeDingtalkAnswer = 'throttled' | 'systemBusy' | RobotAnswer;

export interface FakeDingtalkOptions {
  accessToken?: string;
  /** The robot's "加签" secret; unset means the robot does not check signatures. */
  secret?: string;
  /** The robot's custom keywords; a message must contain one of them. */
  keywords?: string[];
  perMinute?: number;
}

export const FAKE_DINGTALK_TOKEN = 'b7a1c3e5d9f0246813579bdf02468ace13579bdf02468ace13579bdf02468ace';
export const FAKE_DINGTALK_SECRET = 'SEC3f1e0c9b8a7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0';
const SEND_PATH = '/robot/send';
const THROTTLE_MS = 10 * 60_000;

export async function startFakeDingtalk(options: FakeDingtalkOptions = {}): Promise<FakeDingtalk> {
  const token = options.accessToken ?? FAKE_DINGTALK_TOKEN;
  const limiter = slidingWindow(options.perMinute ?? 20, 60_000);
  let throttledUntil = 0;
  let rateLimited = 0;

  const answerLikeDingtalk = (request: FakeRequest): FakeReply => {
    const { query, body } = request;
    if (request.path !== SEND_PATH) return { status: 404, body: '', headers: {} };
    if (request.method !== 'POST') return errcodeReply(43002, '需要POST请求');
    if (!query.access_token) return errcodeReply(40035, '缺少参数 access_token');
    if (query.access_token !== token) return errcodeReply(300005, 'token is not exist');
    if (!/^application\/json/i.test(request.headers['content-type'] ?? '')) return errcodeReply(43004, '无效的HTTP HEADER Content-Type');
    if (!isRecord(body)) return errcodeReply(40035, '缺少参数 json');
    const security = options.secret ? checkSign(query, options.secret) : undefined;
    if (security) return errcodeReply(310000, security);
    const message = body[String(body.msgtype)];
    if (body.msgtype !== 'text' && body.msgtype !== 'markdown') return errcodeReply(400105, 'unsupported msgtype');
    const fields = isRecord(message) ? Object.values(message).filter((v): v is string => typeof v === 'string') : [];
    if (options.keywords?.length && !options.keywords.some((k) => fields.some((f) => f.includes(k)))) return errcodeReply(310000, 'keywords not in content');
    if (fields.some((f) => Buffer.byteLength(f, 'utf8') > 20_000)) return errcodeReply(460101, 'message too long, exceed 20000 bytes');
    const now = Date.now();
    if (now < throttledUntil || !limiter.admit(now)) {
      // Going over the limit throttles the robot for 10 minutes (§3.4).
      if (now >= throttledUntil) throttledUntil = now + THROTTLE_MS;
      rateLimited += 1;
      return errcodeReply(130101, 'send too fast, exceed 20 times per minute');
    }
    return errcodeReply(0, 'ok');
  };

  const robot = await startScriptedRobot(
    {
      throttled: () => errcodeReply(130101, 'send too fast, exceed 20 times per minute'),
      systemBusy: () => errcodeReply(-1, '系统繁忙'),
    },
    answerLikeDingtalk,
  );

  return {
    ...robot,
    get rateLimited() {
      return rateLimited;
    },
  };
}

/**
 * The "加签" check as DingTalk does it (§3.3): both parameters present, a millisecond timestamp
 * within an hour, and sign equal to base64(HMAC-SHA256(secret, timestamp + "\n" + secret)) after
 * one URL-decoding, so an unencoded "+" (decoded to a space) does not match. Undefined when it passes.
 */
function checkSign(query: Record<string, string>, secret: string): string | undefined {
  const { timestamp, sign } = query;
  if (!timestamp || !sign) return 'sign not match';
  const ms = Number(timestamp);
  if (!/^\d{13}$/.test(timestamp) || Math.abs(Date.now() - ms) > 60 * 60_000) return 'invalid timestamp';
  const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  return sign === expected ? undefined : 'sign not match';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
