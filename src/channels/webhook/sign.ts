import { createHmac } from 'node:crypto';

/** The signature header's name, GitHub's convention (docs/providers.md §8). */
export const SIGNATURE_HEADER = 'X-Signature-256';

/**
 * `sha256=<lowercase hex HMAC-SHA256(secret, body)>` over the exact bytes sent: the receiver
 * recomputes it over the raw body it read, so the body is serialised once and these bytes go out.
 */
export function signatureOf(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
