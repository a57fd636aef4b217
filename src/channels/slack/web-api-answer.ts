import { z } from 'zod';
import type { SendReceipt } from '../channel';
import { classifyHttpFailure, cutProviderText, DEFAULT_RETRY_AFTER_MS, type DeliveryError } from '../classify-response';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../delivery-errors';
import { describeBody, parseJson, retryAfterHeader, type ProviderAnswer } from '../provider-http';
import { permanentReason, THROTTLE_API_ERRORS, TRANSIENT_API_ERRORS, USAGE_LIMIT_ERROR, USAGE_LIMIT_PAUSE_MS, withHint } from './error-codes';
import { slackMessageId } from './message-id';

// Every Web API answer is JSON with a boolean `ok` (docs/providers.md §5.2); a failure is
// {"ok":false,"error":"…"} with HTTP 200, some with details in response_metadata.messages or,
// for missing_scope, the `needed` scope.
const envelopeSchema = z.object({
  ok: z.boolean(),
  error: z.string().optional(),
  channel: z.string().optional(),
  ts: z.string().optional(),
  needed: z.string().optional(),
  response_metadata: z.object({ messages: z.array(z.string()).optional() }).optional(),
});
type Envelope = z.output<typeof envelopeSchema>;

/**
 * Reads a Web API answer (chat.postMessage, and chat.update, which answers the same way, §5.4):
 * the message id on `ok:true`, else the classified error naming `method`.
 */
export function readWebApiAnswer(answer: ProviderAnswer, redact: (s: string) => string, method = 'chat.postMessage'): SendReceipt {
  const parsed = answer.cut ? undefined : envelopeSchema.safeParse(parseJson(answer.text));
  const envelope = parsed?.success ? parsed.data : undefined;
  if (envelope?.ok && answer.status >= 200 && answer.status < 300) {
    // channel is always the ID, also when the config names the channel: chat.update needs it with ts (§5.3).
    return envelope.channel && envelope.ts ? { providerMessageId: slackMessageId(envelope.channel, envelope.ts) } : {};
  }
  throw apiFailure(answer, envelope, redact, method);
}

function apiFailure(answer: ProviderAnswer, envelope: Envelope | undefined, redact: (s: string) => string, method: string): DeliveryError {
  const { status } = answer;
  const retryAfter = retryAfterHeader(answer);
  if (!envelope?.error) {
    const text = `Slack ${method} HTTP ${status}: not a Web API answer: ${describeBody(answer, redact)}`;
    // An HTML page from a proxy at 200 proves nothing (§4.1); other statuses mean what they say.
    return status >= 200 && status < 300 ? new RetryableDeliveryError('serverError', text) : classifyHttpFailure(status, text, retryAfter);
  }
  const { error } = envelope;
  const text = cutProviderText(`Slack ${method}: ${redact(withHint(error))}${redact(details(envelope))}`);
  if (status === 429 || THROTTLE_API_ERRORS.has(error)) return new RateLimitedError(retryAfter ?? DEFAULT_RETRY_AFTER_MS, text);
  if (error === USAGE_LIMIT_ERROR) return new RateLimitedError(USAGE_LIMIT_PAUSE_MS, text);
  if (status >= 500 || TRANSIENT_API_ERRORS.has(error)) return new RetryableDeliveryError('serverError', text);
  // Token and scope problems, the channel, and the request itself (no_text, invalid_blocks,
  // msg_too_long, invalid_json…): the same request fails again.
  return new PermanentDeliveryError(permanentReason(error), text);
}

/** "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]", or the scope a missing_scope needs. */
function details(envelope: Envelope): string {
  const parts = [...(envelope.needed ? [`needed scope: ${envelope.needed}`] : []), ...(envelope.response_metadata?.messages ?? [])];
  return parts.length > 0 ? `: ${parts.join('; ')}` : '';
}
