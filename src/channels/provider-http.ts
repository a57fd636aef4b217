import axios, { type AxiosResponse } from 'axios';
import { classifyTransportError, parseRetryAfter } from './classify-response';

export interface ProviderRequest {
  url: string;
  body: unknown;
  timeoutMs: number;
  signal: AbortSignal;
  headers?: Record<string, string>;
  /** Hides the channel's credentials; applied to every text that goes into an error. */
  redact: (text: string) => string;
}

/**
 * POSTs one JSON message to a provider and returns its answer whatever the status: every
 * provider explains a failure in its body, so the channel reads it. A request that got no answer
 * throws the classified transport error instead.
 */
export async function postToProvider(request: ProviderRequest): Promise<AxiosResponse<string>> {
  try {
    return await axios.post<string>(request.url, request.body, {
      timeout: request.timeoutMs,
      signal: request.signal,
      // A redirect would carry the token or key in the URL to another host; a 3xx is classified as a config error.
      maxRedirects: 0,
      headers: request.headers,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (data: string) => data,
      transitional: { clarifyTimeoutError: true },
    });
  } catch (err) {
    throw classifyTransportError(err, request.redact);
  }
}

/** The answer's body as text ('' when there is none). */
export function bodyText(response: AxiosResponse<string>): string {
  return typeof response.data === 'string' ? response.data : '';
}

/** The answer's Retry-After header in milliseconds, when it has a readable one. */
export function retryAfterHeader(response: AxiosResponse<string>): number | undefined {
  const value: unknown = response.headers['retry-after'];
  return parseRetryAfter(typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
}

export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined; // not JSON: the caller's schema rejects undefined and the caller explains.
  }
}

/**
 * The start of a non-JSON body, on one line: enough to recognise "502 Bad Gateway". Redacted
 * before it is cut, so a cut cannot leave half a credential that no longer matches.
 */
export function snippet(raw: string, redact: (s: string) => string): string {
  const text = redact(raw.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim());
  return text.length > 120 ? `${text.slice(0, 120)}…` : text || '(empty body)';
}

/** Joins a base URL (scheme://host[:port][/prefix]) and an API path without a double slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}
