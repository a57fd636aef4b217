import type { SlackChannelConfig } from './config';
import type { Channel, RenderedMessage, SendReceipt } from '../channel';
import { joinUrl, postToProvider } from '../provider-http';
import { slackSecrets } from './config';
import { slackMessageBody } from './message-body';
import { slackRedactor } from './redact';
import { readWebApiAnswer } from './web-api-answer';
import { readWebhookAnswer } from './webhook-answer';

/**
 * Sends to one Slack channel, through its incoming webhook or through chat.postMessage with a
 * bot token (docs/providers.md §5). The body is the same Block Kit message either way; the Web
 * API adds `channel`, and its receipt carries `<channel>:<ts>` for later edits and replies.
 */
export function createSlackChannel(name: string, config: SlackChannelConfig): Channel {
  const redact = slackRedactor(slackSecrets(config));
  const webApi = config.botToken !== undefined;
  const url = config.webhookUrl ?? joinUrl(config.apiUrl, '/api/chat.postMessage');
  // The token goes in the Authorization header: Slack accepts no token in a JSON body (§5.2).
  // Without a charset the call works but earns a missing_charset warning.
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    ...(webApi && { Authorization: `Bearer ${config.botToken}` }),
  };
  const body = (message: RenderedMessage) => ({ ...(webApi && { channel: config.channel }), ...slackMessageBody(message) });

  return {
    name,
    type: 'slack',
    preview: (message) => ({ method: 'POST', url: redact(url), body: body(message) }),
    async send(message: RenderedMessage, signal: AbortSignal): Promise<SendReceipt> {
      const answer = await postToProvider({ url, body: body(message), headers, signal, redact });
      return webApi ? readWebApiAnswer(answer, redact) : readWebhookAnswer(answer, redact);
    },
  };
}
