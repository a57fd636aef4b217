import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from './delivery-errors';

/** Every error a channel's send() may throw. */
export type DeliveryError = RetryableDeliveryError | RateLimitedError | PermanentDeliveryError;

/** When a provider says "slow down" without saying for how long (docs/providers.md §4.2: max(retry_after, 1) s). */
export const DEFAULT_RETRY_AFTER_MS = 1000;

/**
 * How much of a provider's text an error keeps: it is logged and stored with the failed job,
 * and a description or errmsg can be as long as the answer (up to 1 MiB).
 */
export const MAX_PROVIDER_TEXT_CHARS = 500;

/** `text` cut to MAX_PROVIDER_TEXT_CHARS, the cut marked with "…". */
export function cutProviderText(text: string): string {
  return text.length > MAX_PROVIDER_TEXT_CHARS ? `${text.slice(0, MAX_PROVIDER_TEXT_CHARS)}…` : text;
}

/**
 * Maps a failed HTTP answer to the error the queue acts on. `providerText` becomes the message
 * (e.g. "Telegram 400: Bad Request: chat not found"), cut to a bounded length, so callers redact
 * it first. Like Alertmanager's notify.Retrier: 5xx is worth retrying, other 4xx are not.
 */
export function classifyHttpFailure(status: number, fullText: string, retryAfterMs?: number): DeliveryError {
  const providerText = cutProviderText(fullText);
  if (status === 429) return new RateLimitedError(retryAfterMs ?? DEFAULT_RETRY_AFTER_MS, providerText);
  if (status >= 500) return new RetryableDeliveryError('serverError', providerText);
  // 408 is the server giving up on a slow request: the next attempt may well get through.
  if (status === 408) return new RetryableDeliveryError('timeout', providerText);
  if (status === 401 || status === 403) return new PermanentDeliveryError('authError', providerText);
  // Other 4xx, and 3xx: we never follow redirects (the token in the URL would go to another
  // host), so a redirect means apiUrl is wrong, which retrying cannot fix.
  return new PermanentDeliveryError('clientError', providerText);
}

/**
 * Parses a Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP date. Returns
 * milliseconds, or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

// Node and axios error codes for "the request did not complete in time".
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);
// axios reports a bad URL or option before sending anything: a config error, not bad luck.
const CONFIG_CODES = new Set(['ERR_INVALID_URL', 'ERR_BAD_OPTION', 'ERR_BAD_OPTION_VALUE']);

/**
 * Maps a request that never got an HTTP answer (axios or Node error) to a delivery error. The
 * result never carries the original error: an AxiosError holds the URL (with a Telegram token)
 * in err.config and err.request, so only a redacted "code: message" string goes into `cause`.
 * Unknown failures (ECONNREFUSED, ECONNRESET "socket hang up", ENOTFOUND, EAI_AGAIN, TLS errors)
 * are retryable: the provider may have received the message, so a retry risks a duplicate,
 * which beats losing an alert (docs/providers.md §4.2).
 */
export function classifyTransportError(err: unknown, redact: (s: string) => string, signal?: AbortSignal): DeliveryError {
  const { code, message, name } = describe(err);
  const detail = cutProviderText(redact(code ? `${code}: ${message}` : message));
  const options = { cause: detail };
  if (CONFIG_CODES.has(code)) return new PermanentDeliveryError('clientError', `request not sent: ${detail}`, options);
  if (code === 'ERR_CANCELED' || name === 'AbortError' || name === 'CanceledError') {
    // Our own signal fired: the send ran out of time (AbortSignal.timeout), or the worker is shutting down.
    if (signal?.aborted && (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError') {
      return new RetryableDeliveryError('timeout', `request timed out: no answer before the delivery timeout`, options);
    }
    return new RetryableDeliveryError('timeout', `request aborted: ${detail}`, options);
  }
  // axios uses ECONNABORTED both for its own timeout ("timeout of 10000ms exceeded") and for aborts.
  if (TIMEOUT_CODES.has(code) || (code === 'ECONNABORTED' && /timeout/i.test(message))) {
    return new RetryableDeliveryError('timeout', `request timed out: ${detail}`, options);
  }
  return new RetryableDeliveryError('networkError', `network error: ${detail}`, options);
}

function describe(err: unknown): { code: string; message: string; name: string } {
  if (!(err instanceof Error)) return { code: '', message: String(err), name: '' };
  const code = 'code' in err && typeof err.code === 'string' ? err.code : causeCode(err.cause);
  // AggregateError (Node tries IPv4 and IPv6) has an empty message; its code says enough.
  return { code, message: err.message || code || err.name, name: err.name };
}

function causeCode(cause: unknown): string {
  return cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : '';
}
