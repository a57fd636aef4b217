import axios, { type AxiosResponse } from 'axios';
import { z } from 'zod';
import { classifyHttpFailure, classifyTransportError, parseRetryAfter } from './classify-response';
import { RetryableDeliveryError } from './delivery-errors';

// WeCom and DingTalk robots answer HTTP 200 with {"errcode":N,"errmsg":"..."} whether or not the
// message went out (PROVIDERS.md §2.1, §3.1): the caller decides by errcode, never by the status.
const answerSchema = z.object({ errcode: z.number().int(), errmsg: z.string().default('') });
export type RobotAnswer = z.output<typeof answerSchema>;

export interface RobotRequest {
  provider: 'WeCom' | 'DingTalk';
  url: string;
  body: unknown;
  timeoutMs: number;
  signal: AbortSignal;
  /** Hides the credentials of this robot; applied to every text that goes into an error. */
  redact: (text: string) => string;
}

/** Posts one message to a robot webhook; returns its errcode answer, throws for anything else. */
export async function postToRobot(request: RobotRequest): Promise<RobotAnswer> {
  const { provider, redact } = request;
  let response: AxiosResponse<string>;
  try {
    response = await axios.post<string>(request.url, request.body, {
      timeout: request.timeoutMs,
      signal: request.signal,
      // A redirect would carry the key or token in the URL to another host.
      maxRedirects: 0,
      // DingTalk refuses other content types with errcode 43004 (PROVIDERS.md §3.5).
      headers: { 'Content-Type': 'application/json;charset=utf-8' },
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (data: string) => data,
      transitional: { clarifyTimeoutError: true },
    });
  } catch (err) {
    throw classifyTransportError(err, redact);
  }
  const raw = typeof response.data === 'string' ? response.data : '';
  const answer = answerSchema.safeParse(parseJson(raw));
  if (response.status < 200 || response.status >= 300) {
    // The robots themselves always answer 200: this is a proxy or load balancer speaking.
    const detail = answer.success ? redact(`errcode ${answer.data.errcode}: ${answer.data.errmsg}`) : snippet(raw, redact);
    const retryAfter = parseRetryAfter(headerValue(response.headers['retry-after']));
    throw classifyHttpFailure(response.status, `${provider} HTTP ${response.status}: ${detail}`, retryAfter);
  }
  if (!answer.success) {
    // A 200 that is not an errcode answer cannot be trusted as delivered (§4.1): transient.
    throw new RetryableDeliveryError('serverError', `${provider} HTTP ${response.status}: not a robot answer: ${snippet(raw, redact)}`);
  }
  return answer.data;
}

/** The value of one query parameter of a configured webhook URL (the schema checked it parses). */
export function queryParam(url: string | undefined, name: string): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  return new URL(url).searchParams.get(name) ?? undefined;
}

/** Joins a base URL (scheme://host[:port][/prefix]) and an API path without a double slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined; // not JSON: answerSchema rejects undefined and the caller explains.
  }
}

function headerValue(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/**
 * The start of a non-JSON body, on one line: enough to recognise "502 Bad Gateway". Redacted
 * before it is cut, so a cut cannot leave half a credential that no longer matches.
 */
function snippet(raw: string, redact: (s: string) => string): string {
  const text = redact(raw.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim());
  return text.length > 120 ? `${text.slice(0, 120)}…` : text || '(empty body)';
}
