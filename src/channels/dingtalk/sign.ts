import { createHmac } from 'node:crypto';

/**
 * DingTalk's "加签" security setting (docs/providers.md §3.3): sign = urlEncode(base64(
 * HMAC-SHA256(key = secret, message = timestamp + "\n" + secret))), timestamp in milliseconds.
 * The base64 must be URL-encoded exactly once: a raw "+" arrives as a space and fails as
 * "sign not match".
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  const digest = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  return encodeURIComponent(digest);
}

/**
 * The query parameters a signed request appends. Computed per request: DingTalk refuses a
 * timestamp more than an hour away from its clock, so one frozen at start-up (or reused by a
 * retry) works for an hour and then fails.
 */
export function signedQuery(secret: string, timestampMs: number): string {
  return `timestamp=${timestampMs}&sign=${dingtalkSign(secret, timestampMs)}`;
}
