import type { SlackChannelConfig } from './config';
import type { Channel, EditReceipt, RenderedMessage, SendOptions, SendReceipt } from '../channel';
import { MessageNotEditableError } from '../edit-errors';
import { joinUrl, postToProvider, type ProviderAnswer } from '../provider-http';
import { FORMATTING_ERRORS, NOT_EDITABLE_ERRORS, slackErrorOf } from './answer-error';
import { slackSecrets } from './config';
import { slackMessageBody } from './message-body';
import { parseSlackMessageId } from './message-id';
import { plainSlackBody } from './plain-body';
import { slackRedactor } from './redact';
import { readWebApiAnswer } from './web-api-answer';
import { readWebhookAnswer } from './webhook-answer';

// A channel ID (C…, G…, D…) rather than a name: what chat.postMessage answers as `channel` (§5.3).
const CHANNEL_ID = /^[CDG][A-Z0-9]+$/;

/**
 * Sends to one Slack channel, through its incoming webhook or through chat.postMessage with a
 * bot token (docs/providers.md §5). The body is the same Block Kit message either way; the Web
 * API adds `channel`, and its receipt carries `<channel>:<ts>` for later edits (chat.update) and
 * thread replies (`thread_ts`). A webhook cannot edit, so it has no edit(): the lifecycle then
 * treats it as a robot (README, "One message per incident").
 */
export function createSlackChannel(name: string, config: SlackChannelConfig): Channel {
  const redact = slackRedactor(slackSecrets(config));
  const webApi = config.botToken !== undefined;
  const url = (method: string) => config.webhookUrl ?? joinUrl(config.apiUrl, `/api/${method}`);
  // The token goes in the Authorization header: Slack accepts no token in a JSON body (§5.2).
  // Without a charset the call works but earns a missing_charset warning.
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    ...(webApi && { Authorization: `Bearer ${config.botToken}` }),
  };
  const body = (message: RenderedMessage) => ({ ...(webApi && { channel: config.channel }), ...slackMessageBody(message) });
  // The ID Slack answered for a configured channel name: what tells a reply target of this channel from one elsewhere.
  let answeredId = config.channel !== undefined && CHANNEL_ID.test(config.channel) ? config.channel : undefined;

  /** One call; when Slack refuses the Block Kit, the same content once more as plain text, and why. */
  async function call(method: string, request: Record<string, unknown>, message: RenderedMessage, signal: AbortSignal) {
    const post = (json: Record<string, unknown>) => postToProvider({ url: url(method), body: json, headers, signal, redact });
    const read = (answer: ProviderAnswer): SendReceipt => {
      try {
        return webApi ? readWebApiAnswer(answer, redact, method) : readWebhookAnswer(answer, redact);
      } catch (err) {
        const word = slackErrorOf(answer, webApi)?.error;
        if (method === 'chat.update' && word && NOT_EDITABLE_ERRORS.has(word) && err instanceof Error) throw new MessageNotEditableError('clientError', err.message);
        throw err;
      }
    };
    const first = await post(request);
    const refused = slackErrorOf(first, webApi);
    if (!refused || !FORMATTING_ERRORS.has(refused.error)) return { receipt: read(first) };
    const receipt = read(await post(plainSlackBody(request, message)));
    const why = [refused.error, ...refused.details].join(': ');
    return { receipt, fallback: `Slack refused the blocks (${redact(why)}); sent as plain text` };
  }

  /** thread_ts for a reply to `replyTo`, when it names a message in this channel; otherwise the reply posts at the top level. */
  function threadOf(replyTo: string | undefined): Record<string, unknown> {
    const parent = webApi && replyTo ? parseSlackMessageId(replyTo) : undefined;
    // A parent in another channel (the config moved) would make Slack say ok and show the reply nowhere (§5.3).
    if (!parent || parent.channel !== answeredId) return {};
    return { thread_ts: parent.ts, reply_broadcast: false };
  }

  const channel: Channel = {
    name,
    type: 'slack',
    preview: (message) => ({ method: 'POST', url: redact(url('chat.postMessage')), body: body(message) }),
    async send(message: RenderedMessage, signal: AbortSignal, options?: SendOptions): Promise<SendReceipt> {
      const { receipt, fallback } = await call('chat.postMessage', { ...body(message), ...threadOf(options?.replyTo) }, message, signal);
      const posted = receipt.providerMessageId ? parseSlackMessageId(receipt.providerMessageId) : undefined;
      if (posted && config.channel !== undefined && !CHANNEL_ID.test(config.channel)) answeredId = posted.channel;
      return { ...receipt, ...(fallback && { fallback }) };
    },
  };
  if (!webApi) return channel;
  return {
    ...channel,
    async edit(messageId: string, message: RenderedMessage, signal: AbortSignal): Promise<EditReceipt> {
      const target = parseSlackMessageId(messageId);
      if (!target) throw new MessageNotEditableError('clientError', `Slack chat.update: ${messageId} is not a <channel>:<ts> message id`);
      // The same content as a send; chat.update takes no unfurl settings (the post's unfurls stay), §5.4.
      const content = Object.entries(slackMessageBody(message)).filter(([field]) => !field.startsWith('unfurl_'));
      const { fallback } = await call('chat.update', { channel: target.channel, ts: target.ts, ...Object.fromEntries(content) }, message, signal);
      // Slack has no "not modified": an identical update is ok:true like any other.
      return { unchanged: false, ...(fallback && { fallback }) };
    },
  };
}
