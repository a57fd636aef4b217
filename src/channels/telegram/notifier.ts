import { z } from 'zod';
import type { TelegramChannelConfig } from './config';
import type { Channel, RenderedMessage, SendReceipt } from '../channel';
import { classifyHttpFailure, type DeliveryError } from '../classify-response';
import { RetryableDeliveryError } from '../delivery-errors';
import { describeBody, joinUrl, parseJson, postToProvider, retryAfterHeader, type ProviderAnswer } from '../provider-http';
import { redactBotTokenPaths, secretRedactor } from '../../secrets/redact';
import { withTelegramMentions } from './mentions';

// Bot API envelope (docs/providers.md §1.1): {"ok":true,"result":Message} or
// {"ok":false,"error_code":N,"description":"...","parameters":{retry_after?, migrate_to_chat_id?}}.
const envelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.object({ message_id: z.number().int() }) }),
  z.object({
    ok: z.literal(false),
    error_code: z.number().int().optional(),
    description: z.string().optional(),
    parameters: z.object({ retry_after: z.number().optional(), migrate_to_chat_id: z.number().optional() }).optional(),
  }),
]);
type TelegramFailure = Extract<z.output<typeof envelopeSchema>, { ok: false }>;

/** Sends to one chat (or forum topic) through the Bot API's sendMessage, as Telegram HTML. */
export function createTelegramChannel(name: string, config: TelegramChannelConfig): Channel {
  // apiUrl may carry a path prefix (a proxy, or a local Bot API server).
  const endpoint = joinUrl(config.apiUrl, `/bot${config.botToken}/sendMessage`);
  const hideToken = secretRedactor([config.botToken]);
  const redact = (text: string) => redactBotTokenPaths(hideToken(text));

  return {
    name,
    type: 'telegram',
    preview: (message) => ({ method: 'POST', url: redact(endpoint), body: requestBody(config, message) }),
    async send(message: RenderedMessage, signal: AbortSignal): Promise<SendReceipt> {
      // Telegram's status equals error_code and the body explains it: interpret reads it whatever the status.
      const response = await postToProvider({ url: endpoint, body: requestBody(config, message), signal, redact });
      return interpret(response, redact);
    },
  };
}

function requestBody(config: TelegramChannelConfig, message: RenderedMessage): Record<string, unknown> {
  return {
    // chat_id is "Integer or String" in the Bot API; sending the configured string as is keeps
    // "-100…" ids exact and "@channelusername" working without a conversion.
    chat_id: config.chatId,
    text: withTelegramMentions(message.text, message.mentions),
    parse_mode: 'HTML',
    // An alert full of links would otherwise unfurl the first one into a big preview card.
    link_preview_options: { is_disabled: true },
    ...(config.threadId !== undefined && { message_thread_id: config.threadId }),
    ...(config.disableNotification && { disable_notification: true }),
  };
}

function interpret(response: ProviderAnswer, redact: (s: string) => string): SendReceipt {
  const retryAfter = retryAfterHeader(response);
  // A cut answer is never read as a confirmation, even when its start parses: it is not the Bot API's.
  const envelope = response.cut ? undefined : envelopeSchema.safeParse(parseJson(response.text));
  if (!envelope?.success) {
    const text = `Telegram HTTP ${response.status}: not a Bot API answer: ${describeBody(response, redact)}`;
    // A 3xx or a proxy's own 429 page still means what its status says.
    if ((response.status >= 300 && response.status < 400) || response.status === 429) {
      throw classifyHttpFailure(response.status, text, retryAfter);
    }
    // An HTML page from a proxy or load balancer (nginx "502 Bad Gateway"): transient (§4.1).
    throw new RetryableDeliveryError('serverError', text);
  }
  if (envelope.data.ok) return { providerMessageId: String(envelope.data.result.message_id) };
  throw failure(response.status, envelope.data, retryAfter, redact);
}

function failure(httpStatus: number, body: TelegramFailure, headerRetryAfterMs: number | undefined, redact: (s: string) => string): DeliveryError {
  // §1.1: the HTTP status equals error_code; classify by the status first, error_code second.
  const status = httpStatus >= 400 ? httpStatus : (body.error_code ?? 500);
  const migrated = body.parameters?.migrate_to_chat_id;
  const hint = migrated === undefined ? '' : ` (the group became supergroup ${migrated}: update chatId)`;
  const text = `Telegram ${status}: ${redact(body.description ?? 'no description')}${hint}`;
  const retryAfter = body.parameters?.retry_after;
  return classifyHttpFailure(status, text, retryAfter !== undefined ? retryAfter * 1000 : headerRetryAfterMs);
}
