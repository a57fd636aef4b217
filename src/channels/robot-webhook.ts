import { z } from 'zod';
import { classifyHttpFailure, cutProviderText } from './classify-response';
import { RetryableDeliveryError } from './delivery-errors';
import { describeBody, parseJson, postToProvider, retryAfterHeader, type ProviderRequest } from './provider-http';

// WeCom and DingTalk robots answer HTTP 200 with {"errcode":N,"errmsg":"..."} whether or not the
// message went out (docs/providers.md §2.1, §3.1): the caller decides by errcode, never by the status.
const answerSchema = z.object({ errcode: z.number().int(), errmsg: z.string().default('') });
export type RobotAnswer = z.output<typeof answerSchema>;

export interface RobotRequest extends Omit<ProviderRequest, 'headers'> {
  provider: 'WeCom' | 'DingTalk';
}

/** Posts one message to a robot webhook; returns its errcode answer, throws for anything else. */
export async function postToRobot(request: RobotRequest): Promise<RobotAnswer> {
  const { provider, redact } = request;
  const response = await postToProvider({
    ...request,
    // DingTalk refuses other content types with errcode 43004 (docs/providers.md §3.5).
    headers: { 'Content-Type': 'application/json;charset=utf-8' },
  });
  // An answer over the size limit is a proxy or a broken server, whatever its start says.
  const answer = response.cut ? undefined : answerSchema.safeParse(parseJson(response.text));
  if (response.status < 200 || response.status >= 300) {
    // The robots themselves always answer 200: this is a proxy or load balancer speaking.
    const detail = answer?.success ? redact(`errcode ${answer.data.errcode}: ${answer.data.errmsg}`) : describeBody(response, redact);
    throw classifyHttpFailure(response.status, `${provider} HTTP ${response.status}: ${detail}`, retryAfterHeader(response));
  }
  if (!answer?.success) {
    // A 200 that is not an errcode answer cannot be trusted as delivered (§4.1): transient.
    throw new RetryableDeliveryError('serverError', `${provider} HTTP ${response.status}: not a robot answer: ${describeBody(response, redact)}`);
  }
  // errmsg goes into errors and logs: a robot (or a proxy) may send a long one.
  return { errcode: answer.data.errcode, errmsg: cutProviderText(answer.data.errmsg) };
}

/** The value of one query parameter of a configured webhook URL (the schema checked it parses). */
export function queryParam(url: string | undefined, name: string): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  return new URL(url).searchParams.get(name) ?? undefined;
}
