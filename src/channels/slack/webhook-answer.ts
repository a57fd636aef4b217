import { z } from 'zod';
import type { SendReceipt } from '../channel';
import { cutProviderText, DEFAULT_RETRY_AFTER_MS, type DeliveryError } from '../classify-response';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../delivery-errors';
import { describeBody, parseJson, retryAfterHeader, type ProviderAnswer } from '../provider-http';
import { permanentReason, withHint } from './error-codes';

// A throttled webhook's body (docs/providers.md §5.6): {"retry_after":1,"ok":false,"error":"rate_limited"};
// older ones carry only counters. The Retry-After header is what counts.
const throttleBody = z.object({ retry_after: z.number().optional(), error: z.string().optional() });
// Slack's error bodies are one snake_case word (§5.1); anything else is a proxy speaking.
const ERROR_WORD = /^[a-z][a-z0-9_]{1,80}$/;

/**
 * An incoming webhook answers 200 with the plain-text body `ok`, or the error string with a
 * meaningful status (§5.1): 429 throttles, 5xx is transient, every other status is permanent
 * and its body is what the operator needs to read.
 */
export function readWebhookAnswer(answer: ProviderAnswer, redact: (s: string) => string): SendReceipt {
  const body = answer.cut ? '' : answer.text.trim();
  if (answer.status === 200 && body === 'ok') return {};
  throw webhookFailure(answer, body, redact);
}

function webhookFailure(answer: ProviderAnswer, body: string, redact: (s: string) => string): DeliveryError {
  const { status } = answer;
  const json = throttleBody.safeParse(parseJson(body));
  const word = ERROR_WORD.test(body) ? body : json.success ? json.data.error : undefined;
  const said = word ? withHint(word) : describeBody(answer, redact);
  const text = cutProviderText(`Slack webhook HTTP ${status}: ${said}`);
  if (status === 429 || (status === 200 && word === 'rate_limited')) {
    const bodyDelay = json.success && json.data.retry_after !== undefined ? json.data.retry_after * 1000 : undefined;
    return new RateLimitedError(retryAfterHeader(answer) ?? bodyDelay ?? DEFAULT_RETRY_AFTER_MS, text);
  }
  // rollup_error ("likely not your fault"), a proxy's 502, or a 200 that is not `ok`: nothing proves delivery (§4.1).
  if (status >= 500 || (status >= 200 && status < 300)) return new RetryableDeliveryError('serverError', text);
  if (status === 408) return new RetryableDeliveryError('timeout', text);
  // 400 invalid_payload / no_text / invalid_blocks, 403, 404 no_service / channel_not_found, 410
  // channel_is_archived: the same request fails again. A 3xx means webhookUrl is wrong: we never follow redirects.
  return new PermanentDeliveryError(word ? permanentReason(word) : status === 401 || status === 403 ? 'authError' : 'clientError', text);
}
