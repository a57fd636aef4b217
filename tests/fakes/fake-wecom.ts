import { errcodeReply, type FakeReply } from './fake-http';
import { slidingWindow } from './sliding-window';
import { startScriptedRobot, type RobotAnswer, type ScriptedRobot } from './scripted-robot';

export type { FakeReply, FakeRequest } from './fake-http';

/**
 * A fake WeCom group robot webhook on 127.0.0.1, port 0, answering like qyapi.weixin.qq.com
 * (docs/providers.md §2): always HTTP 200 with {"errcode","errmsg"}.
 *
 *   const wecom = await startFakeWecom();
 *   channel config: { type: 'wecom', apiUrl: wecom.url, key: FAKE_WECOM_KEY }
 *   wecom.script('freqLimit', 'ok');               // the next answers, in order
 *   const [request] = await wecom.waitForRequests(1, 2000);
 *   request.body                                   // the parsed JSON body
 *
 * Unscripted requests (and 'ok') get the real checks, in this order: not POST 43002, wrong or
 * missing key 93000, unknown msgtype 40008, empty content 44004, content over its UTF-8 byte limit
 * (text 2048, markdown 4096) 40058, more than `perMinute` accepted in the last 60 s 45009
 * (counted in `rateLimited`), else {"errcode":0,"errmsg":"ok"}.
 * Scripted: 'freqLimit' (45009) 'systemBusy' (-1) 'invalidKey' (93000) 'badGatewayHtml' (nginx
 * 502 page) 'hang' 'closeSocket', { errcode, errmsg } or { status, body, headers? } verbatim.
 */
export interface FakeWecom extends ScriptedRobot<FakeWecomAnswer> {
  readonly key: string;
  /** How many 45009 answers the fake's own 20/min counter gave (scripted ones not included). */
  readonly rateLimited: number;
}

export type FakeWecomAnswer = 'freqLimit' | 'systemBusy' | 'invalidKey' | RobotAnswer;

export interface FakeWecomOptions {
  key?: string;
  /** The robot's limit; 20 messages per minute (§2.3). */
  perMinute?: number;
}

export const FAKE_WECOM_KEY = '693a91f6-7f0e-4c1b-9a3d-0ec2fa5e8b17';
const SEND_PATH = '/cgi-bin/webhook/send';
const MAX_BYTES: Record<string, number> = { text: 2048, markdown: 4096, markdown_v2: 4096 };

export async function startFakeWecom(options: FakeWecomOptions = {}): Promise<FakeWecom> {
  const key = options.key ?? FAKE_WECOM_KEY;
  const limiter = slidingWindow(options.perMinute ?? 20, 60_000);
  let rateLimited = 0;
  let hints = 0;

  // errmsg shape of the real service (§2.1): "<text>, hint: [<id>], from ip: <ip>, more info at <link>".
  const reply = (errcode: number, text: string) =>
    errcodeReply(errcode, errcode === 0 ? text : `${text}, hint: [${1_700_000_000 + ++hints}_fake], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`);

  const answerLikeWecom = (method: string, path: string, query: Record<string, string>, body: unknown): FakeReply => {
    if (path !== SEND_PATH) return { status: 404, body: '', headers: {} };
    if (method !== 'POST') return reply(43002, 'require POST method');
    if (query.key !== key) return reply(93000, 'invalid webhook url');
    const msgtype = isRecord(body) && typeof body.msgtype === 'string' ? body.msgtype : '';
    const limit = MAX_BYTES[msgtype];
    if (limit === undefined || !isRecord(body)) return reply(40008, 'invalid message type');
    const part = body[msgtype];
    const content = isRecord(part) && typeof part.content === 'string' ? part.content : '';
    if (content === '') return reply(44004, 'empty content');
    if (Buffer.byteLength(content, 'utf8') > limit) return reply(40058, `${msgtype}.content exceed max length ${limit}. invalid Request Parameter`);
    if (!limiter.admit(Date.now())) {
      rateLimited += 1;
      return reply(45009, 'api freq out of limit');
    }
    return reply(0, 'ok');
  };

  const robot = await startScriptedRobot(
    {
      freqLimit: () => reply(45009, 'api freq out of limit'),
      systemBusy: () => reply(-1, 'system busy'),
      invalidKey: () => reply(93000, 'invalid webhook url'),
    },
    (request) => answerLikeWecom(request.method, request.path, request.query, request.body),
  );

  return {
    ...robot,
    key,
    get rateLimited() {
      return rateLimited;
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
