import { z } from 'zod';
import { classifyHttpFailure, cutProviderText, type DeliveryError } from '../classify-response';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../delivery-errors';
import { describeBody, parseJson, postToProvider, retryAfterHeader, type ProviderRequest } from '../provider-http';

// Codes of the custom bot (docs/providers.md §6.5). 9499 is both "too many request" and the
// generic "Bad Request": only its msg tells them apart.
export const FEISHU_CODE = {
  ok: 0,
  tokenInvalid: 19001,
  msgTypeInvalid: 19002,
  signMismatch: 19021,
  ipNotAllowed: 19022,
  keywordsNotFound: 19024,
  badRequestOrTooMany: 9499,
  frequencyLimited: 11232,
} as const;

// The bot's settings decide these; the operator has to change the config or the bot.
const AUTH_CODES = new Set<number>([FEISHU_CODE.tokenInvalid, FEISHU_CODE.signMismatch, FEISHU_CODE.ipNotAllowed, FEISHU_CODE.keywordsNotFound]);

// {"code":N,"msg":"...","data":{}}, often with the legacy StatusCode/StatusMessage pair; very old
// answers had only the legacy pair, so the code is `code ?? StatusCode` (§6.1).
const answerSchema = z
  .object({ code: z.number().int().optional(), msg: z.string().optional(), StatusCode: z.number().int().optional(), StatusMessage: z.string().optional() })
  .transform((a) => ({ code: a.code ?? a.StatusCode, msg: a.msg ?? a.StatusMessage ?? '' }))
  .refine((a): a is { code: number; msg: string } => a.code !== undefined);

export interface FeishuAnswer {
  code: number;
  msg: string;
}

/**
 * Posts one message to the bot and returns its {code, msg} answer, whatever the HTTP status:
 * Feishu's errors come with 200, its rate limit with 400 (§6.1). Throws for anything else.
 */
export async function postToFeishu(request: Omit<ProviderRequest, 'headers'>): Promise<FeishuAnswer> {
  const { redact } = request;
  const response = await postToProvider({ ...request, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
  // An answer over the size limit is a proxy or a broken server, whatever its start says.
  const answer = response.cut ? undefined : answerSchema.safeParse(parseJson(response.text));
  // Its errors come with 200 or 400; a "success" with an error status is no confirmation.
  const trusted = answer?.success && response.status < 500 && (answer.data.code !== 0 || response.status < 300);
  if (trusted) return { code: answer.data.code, msg: cutProviderText(answer.data.msg) };
  const text = `Feishu HTTP ${response.status}: ${answer?.success ? redact(`code ${answer.data.code}: ${answer.data.msg}`) : describeBody(response, redact)}`;
  // A 200 that is not the bot's answer cannot be trusted as delivered (§4.1): transient, as are 5xx.
  if (response.status >= 200 && response.status < 300) throw new RetryableDeliveryError('serverError', `Feishu HTTP ${response.status}: not a bot answer: ${describeBody(response, redact)}`);
  throw classifyHttpFailure(response.status, text, retryAfterHeader(response));
}

/** The error a code other than 0 becomes; msg (Feishu's own words) goes to the operator. */
export function feishuFailure(answer: FeishuAnswer, throttlePauseMs: number, redact: (s: string) => string): DeliveryError {
  const text = `Feishu code ${answer.code}: ${redact(answer.msg || 'no msg')}`;
  if (answer.code === FEISHU_CODE.frequencyLimited || (answer.code === FEISHU_CODE.badRequestOrTooMany && /too many request/i.test(answer.msg))) {
    // No retry-after is given: pause this bot's channel alone until its window frees up (§4.2).
    return new RateLimitedError(throttlePauseMs, text);
  }
  // Sign mismatch, IP not allowed, keyword missing, bad token: the same request fails again as
  // it is. So do 19002, 9499 "Bad Request" and codes nobody documented.
  return new PermanentDeliveryError(AUTH_CODES.has(answer.code) ? 'authError' : 'clientError', text);
}
