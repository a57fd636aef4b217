import { z } from 'zod';
import type { TelegramChannelConfig } from './config';
import type { Channel, EditReceipt, RenderedMessage, SendOptions, SendReceipt } from '../channel';
import { classifyHttpFailure, type DeliveryError } from '../classify-response';
import { RetryableDeliveryError } from '../delivery-errors';
import { MessageNotEditableError } from '../edit-errors';
import { describeBody, joinUrl, parseJson, postToProvider, retryAfterHeader, type ProviderAnswer } from '../provider-http';
import { redactBotTokenPaths, secretRedactor } from '../../secrets/redact';
import { withTelegramMentions } from './mentions';
import { telegramPlainText } from './plain-text';

// Bot API envelope (docs/providers.md §1.1): {"ok":true,"result":Message} or
// {"ok":false,"error_code":N,"description":"...","parameters":{retry_after?, migrate_to_chat_id?}}.
// editMessageText answers `true` instead of a Message for inline messages (§1.4).
const envelopeSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    result: z.union([
      z.object({ message_id: z.number().int(), chat: z.object({ id: z.number() }).optional(), message_thread_id: z.number().int().optional() }),
      z.literal(true),
    ]),
  }),
  z.object({
    ok: z.literal(false),
    error_code: z.number().int().optional(),
    description: z.string().optional(),
    parameters: z.object({ retry_after: z.number().optional(), migrate_to_chat_id: z.number().optional() }).optional(),
  }),
]);
type TelegramFailure = Extract<z.output<typeof envelopeSchema>, { ok: false }>;

/** The Bot API's answer: the message id on success, else the description and the error the queue acts on. */
type Answer = { ok: true; messageId?: string; chatId?: string; threadId?: string } | { ok: false; description: string; error: DeliveryError };

// §1.4, §1.8: the texts that decide what an edit's failure means.
const NOT_MODIFIED = /^Bad Request: message is not modified/i;
const NOT_EDITABLE = /^Bad Request: (message to edit not found|message can't be edited)/i;
const BAD_MARKUP = /^Bad Request: can't parse entities/i;

/** Sends to one chat (or forum topic) through the Bot API's sendMessage, as Telegram HTML; edits with editMessageText. */
export function createTelegramChannel(name: string, config: TelegramChannelConfig): Channel {
  // apiUrl may carry a path prefix (a proxy, or a local Bot API server).
  const endpoint = (method: string) => joinUrl(config.apiUrl, `/bot${config.botToken}/${method}`);
  const hideToken = secretRedactor([config.botToken]);
  const redact = (text: string) => redactBotTokenPaths(hideToken(text));
  const call = async (method: string, body: Record<string, unknown>, signal: AbortSignal): Promise<Answer> =>
    // Telegram's status equals error_code and the body explains it: interpret reads it whatever the status.
    interpret(await postToProvider({ url: endpoint(method), body, signal, redact }), redact);
  /** The same call again as plain text when Telegram refused the HTML: formatting is lost, never the alert. */
  const withFallback = async (method: string, body: Record<string, unknown>, signal: AbortSignal) => {
    const first = await call(method, body, signal);
    if (first.ok || !BAD_MARKUP.test(first.description)) return { answer: first };
    // No parse_mode: Telegram shows the text as it is.
    const plain = Object.fromEntries(Object.entries(body).filter(([field]) => field !== 'parse_mode'));
    const answer = await call(method, { ...plain, text: telegramPlainText(String(body.text)) }, signal);
    return { answer, fallback: `Telegram refused the HTML (${first.description}); sent as plain text` };
  };

  return {
    name,
    type: 'telegram',
    preview: (message) => ({ method: 'POST', url: redact(endpoint('sendMessage')), body: requestBody(config, message) }),
    async send(message: RenderedMessage, signal: AbortSignal, options?: SendOptions): Promise<SendReceipt> {
      const body = { ...requestBody(config, message), ...(options?.replyTo && replyTo(options.replyTo)) };
      const { answer, fallback } = await withFallback('sendMessage', body, signal);
      if (!answer.ok) throw answer.error;
      const { messageId, chatId, threadId } = answer;
      return { ...(messageId && { providerMessageId: messageId }), ...(chatId && { chatId }), ...(threadId && { threadId }), ...(fallback && { fallback }) };
    },
    async edit(messageId: string, message: RenderedMessage, signal: AbortSignal): Promise<EditReceipt> {
      const { text, parse_mode, link_preview_options, chat_id } = requestBody(config, message);
      const { answer, fallback } = await withFallback('editMessageText', { chat_id, message_id: Number(messageId), text, parse_mode, link_preview_options }, signal);
      if (answer.ok) return { unchanged: false, ...(fallback && { fallback }) };
      // Re-resolving or a repeat that changes nothing visible: the chat already shows it.
      if (NOT_MODIFIED.test(answer.description)) return { unchanged: true, ...(fallback && { fallback }) };
      if (NOT_EDITABLE.test(answer.description)) throw new MessageNotEditableError('clientError', answer.error.message);
      throw answer.error;
    },
  };
}

/**
 * A follow-up ("resolved") replies to the first message; allow_sending_without_reply makes a
 * deleted original cost only the reply link, never the notification (docs/providers.md §1.4).
 */
function replyTo(messageId: string): Record<string, unknown> {
  return { reply_parameters: { message_id: Number(messageId), allow_sending_without_reply: true } };
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

function interpret(response: ProviderAnswer, redact: (s: string) => string): Answer {
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
  if (envelope.data.ok) {
    const result = envelope.data.result;
    if (result === true) return { ok: true };
    return {
      ok: true,
      messageId: String(result.message_id),
      ...(result.chat && { chatId: String(result.chat.id) }),
      ...(result.message_thread_id !== undefined && { threadId: String(result.message_thread_id) }),
    };
  }
  return { ok: false, description: envelope.data.description ?? '', error: failure(response.status, envelope.data, retryAfter, redact) };
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
