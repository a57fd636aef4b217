import { z } from 'zod';
import { classifyHttpFailure, cutProviderText } from '../classify-response';
import { RetryableDeliveryError } from '../delivery-errors';
import { describeBody, joinUrl, parseJson, postToProvider, retryAfterHeader, type ProviderAnswer } from '../provider-http';
import { wecomAppFailure } from './errcodes';

// Both calls answer HTTP 200 with {"errcode","errmsg",…} whether or not they worked (docs/providers.md §7).
const tokenAnswerSchema = z.object({
  errcode: z.number().int(),
  errmsg: z.string().default(''),
  access_token: z.string().optional(),
  expires_in: z.number().optional(),
});
const sendAnswerSchema = z.object({
  errcode: z.number().int(),
  errmsg: z.string().default(''),
  msgid: z.string().optional(),
  // Recipients skipped in an otherwise successful send, "|"-separated (§7.2).
  invaliduser: z.string().optional(),
  invalidparty: z.string().optional(),
  invalidtag: z.string().optional(),
  unlicenseduser: z.string().optional(),
});
export type SendAnswer = z.output<typeof sendAnswerSchema>;

export interface AccessToken {
  token: string;
  expiresInS: number;
}

export interface ApiCall {
  signal: AbortSignal;
  /** Hides corpSecret and access tokens; applied to every text that goes into an error. */
  redact: (text: string) => string;
}

/** GET /cgi-bin/gettoken: the app's access_token, or the delivery error its answer means. */
export async function fetchAccessToken(apiUrl: string, corpId: string, corpSecret: string, throttlePauseMs: number, call: ApiCall): Promise<AccessToken> {
  const url = `${joinUrl(apiUrl, '/cgi-bin/gettoken')}?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(corpSecret)}`;
  const answer = read(await getFromProvider(url, call), tokenAnswerSchema, 'gettoken', call.redact);
  if (answer.errcode !== 0) throw wecomAppFailure(answer, 'gettoken', throttlePauseMs);
  if (!answer.access_token) throw new RetryableDeliveryError('serverError', 'WeCom app gettoken: errcode 0 without an access_token');
  return { token: answer.access_token, expiresInS: answer.expires_in ?? 7200 };
}

/** POST /cgi-bin/message/send with the given token; returns the errcode answer, throws for anything else. */
export async function postMessage(apiUrl: string, token: string, body: unknown, call: ApiCall): Promise<SendAnswer> {
  const url = `${joinUrl(apiUrl, '/cgi-bin/message/send')}?access_token=${encodeURIComponent(token)}`;
  const response = await postToProvider({ url, body, ...call, headers: { 'Content-Type': 'application/json;charset=utf-8' } });
  return read(response, sendAnswerSchema, 'message/send', call.redact);
}

function read<T extends { errcode: number; errmsg: string }>(response: ProviderAnswer, schema: z.ZodType<T>, step: string, redact: (s: string) => string): T {
  // An answer over the size limit is a proxy or a broken server, whatever its start says.
  const answer = response.cut ? undefined : schema.safeParse(parseJson(response.text));
  if (response.status < 200 || response.status >= 300) {
    // WeCom itself always answers 200: this is a proxy or load balancer speaking.
    const detail = answer?.success ? redact(`errcode ${answer.data.errcode}: ${answer.data.errmsg}`) : describeBody(response, redact);
    throw classifyHttpFailure(response.status, `WeCom app ${step} HTTP ${response.status}: ${detail}`, retryAfterHeader(response));
  }
  if (!answer?.success) {
    // A 200 that is not an errcode answer proves nothing (§4.1): transient.
    throw new RetryableDeliveryError('serverError', `WeCom app ${step} HTTP ${response.status}: not a WeCom answer: ${describeBody(response, redact)}`);
  }
  // errmsg goes into errors and logs: redacted, and bounded (a proxy may send a long one).
  return { ...answer.data, errmsg: cutProviderText(redact(answer.data.errmsg)) };
}

/** gettoken's GET, as every provider call: the answer bounded, never a redirect (it would carry corpsecret to another host). */
function getFromProvider(url: string, { signal, redact }: ApiCall): Promise<ProviderAnswer> {
  return postToProvider({ method: 'GET', url, body: undefined, signal, redact });
}
