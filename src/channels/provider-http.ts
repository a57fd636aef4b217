import type { Readable } from 'node:stream';
import type { AxiosResponse } from 'axios';
import { classifyTransportError, parseRetryAfter } from './classify-response';
import { readCapped } from './read-capped';

export interface ProviderRequest {
  /** POST unless said otherwise (a generic webhook's PUT, WeCom's gettoken GET). */
  method?: 'GET' | 'POST' | 'PUT';
  url: string;
  /** JSON for an object; a Buffer goes out as those very bytes (a signed webhook body). */
  body: unknown;
  /** The send's one deadline (the worker's AbortSignal.timeout, or shutdown). */
  signal: AbortSignal;
  headers?: Record<string, string>;
  /** Hides the channel's credentials; applied to every text that goes into an error. */
  redact: (text: string) => string;
}

/**
 * The most of an answer we read. A Bot API sendMessage answer echoes the message (4096
 * characters, non-ASCII escaped as \uXXXX, plus its entities): well under 200 KiB; the robots
 * answer a few dozen bytes. Beyond this it is a proxy or a broken server, never a confirmation.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** A provider's HTTP answer, its body bounded by MAX_ANSWER_BYTES. */
export interface ProviderAnswer {
  status: number;
  headers: AxiosResponse['headers'];
  /** The body as text ('' when there is none); only its start when `cut`. */
  text: string;
  /** The body was larger than MAX_ANSWER_BYTES: the rest was not read, and the answer proves nothing. */
  cut: boolean;
}

/**
 * Sends one request (a JSON message, by default POSTed) to a provider and returns its answer
 * whatever the status: every provider explains a failure in its body, so the channel reads it.
 * A request that got no answer throws the classified transport error instead.
 */
export async function postToProvider(request: ProviderRequest): Promise<ProviderAnswer> {
  try {
    // A stream, so a huge answer (10 MB of HTML from a proxy) is stopped after MAX_ANSWER_BYTES
    // instead of being buffered whole; axios' own maxContentLength would throw away the status too.
    // Loaded at the first send, not at start-up: a gateway that only prints (console) never needs it.
    const { default: axios } = await import('axios');
    const response = await axios.request<Readable>({
      method: request.method ?? 'POST',
      url: request.url,
      data: request.body,
      signal: request.signal,
      // A redirect would carry the token or key in the URL to another host; a 3xx is classified as a config error.
      maxRedirects: 0,
      headers: request.headers,
      validateStatus: () => true,
      responseType: 'stream',
      transitional: { clarifyTimeoutError: true },
    });
    const { bytes, cut } = await readCapped(response.data, MAX_ANSWER_BYTES);
    return { status: response.status, headers: response.headers, text: bytes.toString('utf8'), cut };
  } catch (err) {
    throw classifyTransportError(err, request.redact, request.signal);
  }
}

/** The answer's Retry-After header in milliseconds, when it has a readable one. */
export function retryAfterHeader(answer: ProviderAnswer): number | undefined {
  const value: unknown = answer.headers['retry-after'];
  return parseRetryAfter(typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
}

export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined; // not JSON: the caller's schema rejects undefined and the caller explains.
  }
}

/** What an answer that is not the provider's format says, for the error: its start, and whether it was cut. */
export function describeBody(answer: ProviderAnswer, redact: (s: string) => string): string {
  const start = snippet(answer.text, redact);
  return answer.cut ? `larger than ${MAX_ANSWER_BYTES / 1024} KiB, cut: ${start}` : start;
}

// Tags are stripped from this much of an answer at most: "502 Bad Gateway" is in its first lines.
const SNIPPET_SOURCE_CHARS = 4096;
const SNIPPET_CHARS = 120;

/**
 * The start of a non-JSON body, on one line: enough to recognise "502 Bad Gateway". Redaction
 * is linear, so it runs over the whole (bounded) body before any cut: a cut cannot leave half a
 * credential that no longer matches. Only then is the text cut, before the tag regex runs.
 */
export function snippet(raw: string, redact: (s: string) => string): string {
  const start = redact(raw).slice(0, SNIPPET_SOURCE_CHARS);
  // [^<>]* stops at the next "<", so every character is scanned about once; [^>]* rescanned to
  // the end from every "<" without a ">" (60 KB of "<" took seconds).
  const text = redact(start.replace(/<[^<>]*>/g, ' ').replace(/\s+/g, ' ').trim());
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text || '(empty body)';
}

/** Joins a base URL (scheme://host[:port][/prefix]) and an API path without a double slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}
