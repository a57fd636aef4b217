import axios, { type AxiosResponse } from 'axios';
import { z } from 'zod';
import type { TelegramChannelConfig } from '../config/schema';
import type { Channel, RenderedMessage, SendReceipt } from './channel';
import { classifyHttpFailure, classifyTransportError, parseRetryAfter, type DeliveryError } from './classify-response';
import { RetryableDeliveryError } from './delivery-errors';
import { redactBotTokenPaths, redactSecrets } from './redact';

// Bot API envelope (PROVIDERS.md §1.1): {"ok":true,"result":Message} or
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
export function createTelegramChannel(name: string, config: TelegramChannelConfig, options: { timeoutMs: number }): Channel {
  // apiUrl may carry a path prefix (a proxy, or a local Bot API server); avoid "//bot".
  const endpoint = `${config.apiUrl.replace(/\/+$/, '')}/bot${config.botToken}/sendMessage`;
  const redact = (text: string) => redactBotTokenPaths(redactSecrets(text, [config.botToken]));

  return {
    name,
    type: 'telegram',
    preview: (message) => ({ method: 'POST', url: redact(endpoint), body: requestBody(config, message) }),
    async send(message: RenderedMessage, signal: AbortSignal): Promise<SendReceipt> {
      let response: AxiosResponse<string>;
      try {
        response = await axios.post<string>(endpoint, requestBody(config, message), {
          timeout: options.timeoutMs,
          signal,
          // A redirect would carry the token to another host; a 3xx is classified as a config error.
          maxRedirects: 0,
          // Telegram's status equals error_code and the body explains it: read it whatever the status.
          validateStatus: () => true,
          responseType: 'text',
          transformResponse: (data: string) => data,
          transitional: { clarifyTimeoutError: true },
        });
      } catch (err) {
        throw classifyTransportError(err, redact);
      }
      return interpret(response, redact);
    },
  };
}

function requestBody(config: TelegramChannelConfig, message: RenderedMessage): Record<string, unknown> {
  return {
    // chat_id is "Integer or String" in the Bot API; sending the configured string as is keeps
    // "-100…" ids exact and "@channelusername" working without a conversion.
    chat_id: config.chatId,
    text: message.text,
    parse_mode: 'HTML',
    // An alert full of links would otherwise unfurl the first one into a big preview card.
    link_preview_options: { is_disabled: true },
    ...(config.threadId !== undefined && { message_thread_id: config.threadId }),
    ...(config.disableNotification && { disable_notification: true }),
  };
}

function interpret(response: AxiosResponse<string>, redact: (s: string) => string): SendReceipt {
  const raw = typeof response.data === 'string' ? response.data : '';
  const retryAfterHeader = parseRetryAfter(headerValue(response.headers['retry-after']));
  const envelope = envelopeSchema.safeParse(parseJson(raw));
  if (!envelope.success) {
    const text = `Telegram HTTP ${response.status}: not a Bot API answer: ${snippet(redact(raw))}`;
    // A 3xx or a proxy's own 429 page still means what its status says.
    if ((response.status >= 300 && response.status < 400) || response.status === 429) {
      throw classifyHttpFailure(response.status, text, retryAfterHeader);
    }
    // An HTML page from a proxy or load balancer (nginx "502 Bad Gateway"): transient (§4.1).
    throw new RetryableDeliveryError('serverError', text);
  }
  if (envelope.data.ok) return { providerMessageId: String(envelope.data.result.message_id) };
  throw failure(response.status, envelope.data, retryAfterHeader, redact);
}

function failure(httpStatus: number, body: TelegramFailure, retryAfterHeader: number | undefined, redact: (s: string) => string): DeliveryError {
  // §1.1: the HTTP status equals error_code; classify by the status first, error_code second.
  const status = httpStatus >= 400 ? httpStatus : (body.error_code ?? 500);
  const migrated = body.parameters?.migrate_to_chat_id;
  const hint = migrated === undefined ? '' : ` (the group became supergroup ${migrated}: update chatId)`;
  const text = `Telegram ${status}: ${redact(body.description ?? 'no description')}${hint}`;
  const retryAfter = body.parameters?.retry_after;
  return classifyHttpFailure(status, text, retryAfter !== undefined ? retryAfter * 1000 : retryAfterHeader);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined; // not JSON: envelopeSchema rejects undefined and the caller explains.
  }
}

function headerValue(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The start of a non-JSON body, on one line: enough to recognise "502 Bad Gateway". */
function snippet(raw: string): string {
  const text = raw.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > 120 ? `${text.slice(0, 120)}…` : text || '(empty body)';
}
