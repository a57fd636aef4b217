import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { BAD_GATEWAY_HTML, errcodeReply, startFakeHttp, type FakeHttp, type FakeOutcome, type FakeReply, type FakeRequest } from './fake-http';
import { slidingWindow, type SlidingWindow } from './sliding-window';

/**
 * A fake WeCom application-message API on 127.0.0.1, port 0, answering like qyapi.weixin.qq.com
 * (docs/providers.md §7): always HTTP 200 with {"errcode","errmsg",…}.
 *
 *   const wecom = await startFakeWecomApp();
 *   channel config: { type: 'wecom-app', apiUrl: wecom.url, corpId: FAKE_CORP_ID, corpSecret: FAKE_CORP_SECRET, agentId: FAKE_AGENT_ID, toUser: ['zhangsan'] }
 *   wecom.tokenRequests                  // how many gettoken calls arrived
 *   wecom.expireToken()                  // the current token answers 42001 from now on; gettoken issues a new one
 *   wecom.script('freqLimit', 'ok')      // the next message/send answers, in order
 *
 * GET /cgi-bin/gettoken checks corpid (40013 invalid corpid, 41002 missing) and corpsecret
 * (40001 invalid credential, 41004 missing), then hands out the current token, the same one
 * again while it is valid (expires_in 7200). POST /cgi-bin/message/send checks, in this order:
 * access_token missing 41001 / expired 42001 / unknown 40014; the caller's IP not trusted 60020
 * (when `trustedIp: false`); agentid not the app's integer 40056 (a number of another app: 301002);
 * msgtype 40008; empty content 44004; markdown over 2048 bytes 40058 (text is cut, as WeCom does,
 * and counted in `cutTexts`); a textcard without title, description or url 44004; recipients:
 * unknown ones come back in invaliduser/invalidparty/invalidtag, none valid 81013. A member who
 * got 30 messages in the last minute silently misses the next (counted in `dropped`).
 * Scripted (message/send only): 'freqLimit' (45009) 'concurrencyLimit' (45033) 'systemBusy' (-1)
 * 'badGatewayHtml' 'hang' 'closeSocket', { errcode, errmsg } (HTTP 200) or { status, body } verbatim.
 */
export interface FakeWecomApp extends FakeHttp {
  /** gettoken requests received, answered or not. */
  readonly tokenRequests: number;
  /** message/send requests received. */
  readonly sends: readonly FakeRequest[];
  /** Members (userids) who did not get a message because of WeCom's silent per-member limit. */
  readonly dropped: number;
  readonly cutTexts: number;
  /** The token gettoken hands out now (undefined before the first call). */
  readonly currentToken: string | undefined;
  expireToken(): void;
  script(...answers: FakeWecomAppAnswer[]): void;
}

export type FakeWecomAppAnswer = 'ok' | 'freqLimit' | 'concurrencyLimit' | 'systemBusy' | 'badGatewayHtml' | 'hang' | 'closeSocket' | { errcode: number; errmsg: string } | FakeReply;

export interface FakeWecomAppOptions {
  users?: string[];
  parties?: string[];
  tags?: string[];
  /** false: the app requires trusted IPs and 127.0.0.1 is not one (gettoken still works, §7.3). */
  trustedIp?: boolean;
  /** How long gettoken takes to answer: a real round trip, long enough for concurrent senders to meet. */
  gettokenDelayMs?: number;
  /** WeCom's silent per-member limit; 30 a minute (§7.3). */
  perMemberPerMinute?: number;
}

export const FAKE_CORP_ID = 'ww8f3a1c2b7d9e0f41';
export const FAKE_CORP_SECRET = 'Qm3vT9xLr2pZ8kWc4yHn6bJd1sFg5aEu7oVi0tRq_Xk';
export const FAKE_AGENT_ID = 1000002;
export const FAKE_USERS = ['zhangsan', 'lisi', 'wangwu'];
const MARKDOWN_MAX_BYTES = 2048;
const TEXT_MAX_BYTES = 2048;
const MSG_TYPES = new Set(['text', 'markdown', 'textcard', 'image', 'voice', 'video', 'file', 'news', 'mpnews', 'miniprogram_notice', 'template_card']);

export async function startFakeWecomApp(options: FakeWecomAppOptions = {}): Promise<FakeWecomApp> {
  const users = new Set((options.users ?? FAKE_USERS).map((u) => u.toLowerCase()));
  const parties = new Set(options.parties ?? ['2', '3']);
  const tags = new Set(options.tags ?? ['7']);
  const perMember = new Map<string, SlidingWindow>();
  const expired = new Set<string>();
  const queue: FakeWecomAppAnswer[] = [];
  const sends: FakeRequest[] = [];
  let token: string | undefined;
  let tokenRequests = 0;
  let dropped = 0;
  let cutTexts = 0;
  let hints = 0;
  let msgids = 0;

  // errmsg shape of the real service (§7.2): "<text>, hint: [<id>], from ip: <ip>, more info at <link>".
  const reply = (errcode: number, text: string, extra: Record<string, unknown> = {}): FakeReply => ({
    status: 200,
    body: JSON.stringify({
      errcode,
      errmsg: errcode === 0 ? text : `${text}, hint: [${1_700_000_000 + ++hints}_fake], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`,
      ...extra,
    }),
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
  });

  const getToken = (query: Record<string, string>): FakeReply => {
    if (!query.corpid) return reply(41002, 'corpid missing');
    if (query.corpid !== FAKE_CORP_ID) return reply(40013, 'invalid corpid');
    if (!query.corpsecret) return reply(41004, 'corpsecret missing');
    if (query.corpsecret !== FAKE_CORP_SECRET) return reply(40001, 'invalid credential');
    // A repeated call within the validity returns the same token (§7.1).
    token ??= randomBytes(96).toString('base64url');
    return reply(0, 'ok', { access_token: token, expires_in: 7200 });
  };

  const send = (request: FakeRequest): FakeReply => {
    const accessToken = request.query.access_token;
    if (!accessToken) return reply(41001, 'access_token missing');
    if (expired.has(accessToken)) return reply(42001, 'access_token expired');
    if (accessToken !== token) return reply(40014, 'invalid access_token');
    if (options.trustedIp === false) return reply(60020, 'not allow to access from your ip');
    const body = isRecord(request.body) ? request.body : {};
    if (typeof body.agentid !== 'number' || !Number.isInteger(body.agentid)) return reply(40056, 'invalid agentid');
    if (body.agentid !== FAKE_AGENT_ID) return reply(301002, 'not allow operate another agent with this accesstoken.');
    const msgtype = typeof body.msgtype === 'string' ? body.msgtype : '';
    if (!MSG_TYPES.has(msgtype)) return reply(40008, 'invalid message type');
    const problem = contentProblem(msgtype, body[msgtype]);
    if (problem) return reply(problem.errcode, problem.errmsg);
    if (msgtype === 'text' && Buffer.byteLength(textContent(body.text), 'utf8') > TEXT_MAX_BYTES) cutTexts += 1;

    const invalid = {
      invaliduser: unknownIds(body.touser, (id) => id === '@all' || users.has(id.toLowerCase())),
      invalidparty: unknownIds(body.toparty, (id) => parties.has(id)),
      invalidtag: unknownIds(body.totag, (id) => tags.has(id)),
    };
    const valid = [...ids(body.touser)].filter((id) => id === '@all' || users.has(id.toLowerCase()));
    const anyValid = valid.length > 0 || ids(body.toparty).some((id) => parties.has(id)) || ids(body.totag).some((id) => tags.has(id));
    if (!anyValid) return reply(81013, 'user & party & tag all invalid', invalid);
    for (const member of valid.includes('@all') ? [...users] : valid) {
      const window = perMember.get(member) ?? slidingWindow(options.perMemberPerMinute ?? 30, 60_000);
      perMember.set(member, window);
      if (!window.admit(Date.now())) dropped += 1;
    }
    const skipped = Object.fromEntries(Object.entries(invalid).filter(([field, value]) => value !== '' || field === 'invaliduser'));
    return reply(0, 'ok', { ...skipped, msgid: `fake-msgid-${++msgids}` });
  };

  const server = await startFakeHttp(
    async (request): Promise<FakeOutcome> => {
      if (request.path === '/cgi-bin/gettoken' && request.method === 'GET') {
        tokenRequests += 1;
        if (options.gettokenDelayMs) await delay(options.gettokenDelayMs);
        return getToken(request.query);
      }
      if (request.path !== '/cgi-bin/message/send') return { status: 404, body: '', headers: {} };
      sends.push(request);
      const answer = queue.shift() ?? 'ok';
      if (answer === 'ok') return send(request);
      if (answer === 'hang' || answer === 'closeSocket') return answer;
      if (answer === 'badGatewayHtml') return BAD_GATEWAY_HTML;
      if (answer === 'freqLimit') return reply(45009, 'api freq out of limit');
      if (answer === 'concurrencyLimit') return reply(45033, 'api concurrent out of limit');
      if (answer === 'systemBusy') return reply(-1, 'system busy');
      return 'errcode' in answer ? errcodeReply(answer.errcode, answer.errmsg) : answer;
    },
    { name: 'fake WeCom app API' },
  );

  return {
    ...server,
    get tokenRequests() {
      return tokenRequests;
    },
    sends,
    get dropped() {
      return dropped;
    },
    get cutTexts() {
      return cutTexts;
    },
    get currentToken() {
      return token;
    },
    expireToken() {
      if (token) expired.add(token);
      token = undefined;
    },
    script: (...answers) => void queue.push(...answers),
  };
}

function contentProblem(msgtype: string, part: unknown): { errcode: number; errmsg: string } | undefined {
  if (!isRecord(part)) return { errcode: 44004, errmsg: 'empty content' };
  if (msgtype === 'textcard') {
    if (!part.title || !part.description || !part.url) return { errcode: 44004, errmsg: 'empty content' };
    return undefined;
  }
  const content = textContent(part);
  if (content === '') return { errcode: 44004, errmsg: 'empty content' };
  if (msgtype === 'markdown' && Buffer.byteLength(content, 'utf8') > MARKDOWN_MAX_BYTES) {
    return { errcode: 40058, errmsg: `markdown.content exceed max length ${MARKDOWN_MAX_BYTES}. invalid Request Parameter` };
  }
  return undefined;
}

function textContent(part: unknown): string {
  return isRecord(part) && typeof part.content === 'string' ? part.content : '';
}

function ids(field: unknown): string[] {
  return typeof field === 'string' && field !== '' ? field.split('|') : [];
}

function unknownIds(field: unknown, known: (id: string) => boolean): string {
  return ids(field).filter((id) => !known(id)).join('|');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
