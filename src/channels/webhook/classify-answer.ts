import type { DeliveryError } from '../classify-response';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../delivery-errors';
import { retryAfterHeader, type ProviderAnswer } from '../provider-http';

/** How much of a refusing answer an error quotes (the contract: "the first 200 bytes"). */
export const QUOTED_ANSWER_BYTES = 200;

/**
 * A non-2xx answer as the queue must act on it (docs/providers.md §8): 429, or 503 with a
 * Retry-After, is the receiver asking the whole channel to wait; 408, 425, other 429 and 5xx are
 * worth another attempt after the backoff; 3xx (never followed) and every other 4xx fail at once.
 */
export function webhookFailure(answer: ProviderAnswer, redact: (s: string) => string): DeliveryError {
  const { status } = answer;
  const text = `webhook HTTP ${status}: ${quoted(answer.text, redact)}`;
  const retryAfterMs = retryAfterHeader(answer);
  if ((status === 429 || status === 503) && retryAfterMs !== undefined) return new RateLimitedError(retryAfterMs, text);
  if (status === 429) return new RetryableDeliveryError('rateLimited', text);
  // 408: the receiver gave up waiting for our request; 425 Too Early: it asks for a replay (RFC 8470).
  if (status === 408 || status === 425) return new RetryableDeliveryError('timeout', text);
  if (status >= 500) return new RetryableDeliveryError('serverError', text);
  if (status === 401 || status === 403) return new PermanentDeliveryError('authError', text);
  return new PermanentDeliveryError('clientError', text);
}

/**
 * The start of the answer, at most QUOTED_ANSWER_BYTES of UTF-8, secrets hidden first so a cut
 * cannot leave half a credential that no longer matches; never a torn character.
 */
export function quoted(raw: string, redact: (s: string) => string): string {
  const text = redact(raw).trim();
  if (text === '') return '(empty body)';
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= QUOTED_ANSWER_BYTES) return text;
  let end = QUOTED_ANSWER_BYTES;
  // Back up over continuation bytes (10xxxxxx) to the start of the character the cut falls in.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return `${bytes.subarray(0, end).toString('utf8')}…`;
}
