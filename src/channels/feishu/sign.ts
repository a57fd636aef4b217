import { createHmac } from 'node:crypto';

/**
 * Feishu's "签名校验" setting (docs/providers.md §6.3): sign = base64(HMAC-SHA256(key =
 * timestamp + "\n" + secret, message = "")), the timestamp in SECONDS. This is the reverse of
 * DingTalk's layout (key = secret), and the most common reason for 19021.
 */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/**
 * The fields a signed request adds to its JSON body (not the URL, and not URL-encoded). Computed
 * per request: Feishu refuses a timestamp more than an hour from its clock, so one frozen at
 * start-up, or reused by a retry, works for an hour and then fails.
 */
export function signedFields(secret: string, nowMs: number): { timestamp: string; sign: string } {
  const seconds = Math.floor(nowMs / 1000);
  return { timestamp: String(seconds), sign: feishuSign(secret, seconds) };
}
