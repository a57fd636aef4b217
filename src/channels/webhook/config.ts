import { z } from 'zod';
import { optionalString } from '../../config/fields';
import { channelBase, type Pace } from '../channel-config';

// RFC 9110 §5.6.2 token characters: what a header name may be made of.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Headers the channel writes itself: the body's type, its length and its signature.
const RESERVED_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding', 'host', 'x-signature-256']);

/** A header value: YAML may read `X-Retries: 3` as a number; a line break would start another header. */
const headerValue = z.preprocess(
  (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v),
  z
    .string()
    .min(1, 'empty: is the variable it names set?')
    .refine((v) => !/[\r\n\0]/.test(v), 'must not contain a line break')
    // HTTP drops the spaces around a value, so "Bearer " is a token whose ${VAR} came out empty.
    .refine((v) => v.trim() === v, 'starts or ends with a space: is the variable it names set?'),
);

const headers = z
  .record(z.string(), headerValue)
  .superRefine((h, ctx) => {
    for (const name of Object.keys(h)) {
      if (!HEADER_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'not a valid HTTP header name' });
      else if (RESERVED_HEADERS.has(name.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'set by the channel: Content-Type comes from contentType, X-Signature-256 from secret' });
      }
    }
  })
  .default({});

/**
 * A generic JSON webhook (docs/providers.md §8): the operator's own receiver at `url`. The body is
 * the `template` output, or the normalized event with the rendered text (README, "Generic webhook").
 */
export const webhookConfigSchema = z
  .object({
    type: z.literal('webhook'),
    url: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/, error: 'required: an http(s) URL' })),
    method: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['POST', 'PUT'])).default('POST'),
    headers,
    contentType: z
      .string()
      .min(1)
      .refine((v) => !/[\r\n\0]/.test(v), 'must not contain a line break')
      .default('application/json'),
    /** Signs each body: X-Signature-256: sha256=<hex HMAC-SHA256>. */
    secret: optionalString,
    ...channelBase,
  })
  .strict();

export type WebhookChannelConfig = z.output<typeof webhookConfigSchema>;

/** application/json, application/cloudevents+json, …: bodies a template must write as JSON. */
export function isJsonContentType(contentType: string): boolean {
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  return essence === 'application/json' || /^[a-z]+\/[^;]*\+json$/.test(essence);
}

/**
 * A receiver publishes no limit (docs/providers.md §8), so this one is generous: 20 a second is
 * more than an alert stream needs and less than makes a small receiver fall over; `rateLimit`
 * sets another. It exists mainly because BullMQ honours a pause (a 429/503 Retry-After) in every
 * worker and process only for a queue with a limiter: without one, a second gateway process, or
 * a worker finishing another job, would go on sending during the pause.
 */
export const webhookPace = (): Pace => ({ max: 1200, durationMs: 60_000 });
