import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'valid' | 'missing' | 'invalid';

/**
 * Sentry-Hook-Signature is the lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the
 * UTF-8 bytes of the integration's client secret (docs/payloads.md §1.2). The raw bytes, never a
 * re-serialization: Sentry escapes non-ASCII and writes 10.0 where JSON.stringify writes 10.
 */
export function checkSentrySignature(rawBody: Buffer, header: string | undefined, clientSecret: string): SignatureCheck {
  if (header === undefined || header.trim() === '') return 'missing';
  const given = header.trim();
  if (!/^[0-9a-f]{64}$/i.test(given)) return 'invalid';
  const expected = createHmac('sha256', clientSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex')) ? 'valid' : 'invalid';
}

export function sentrySignature(rawBody: Buffer | string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(rawBody).digest('hex');
}
