import { z } from 'zod';
import { httpUrl, optionalString } from '../../config/fields';
import { channelBase, type Pace } from '../channel-config';

/**
 * Slack: an incoming webhook (`webhookUrl`, bound to the one channel it was created for), or the
 * Web API with a bot token (`botToken` + `channel`, chat.postMessage), which can also edit and
 * reply in threads (docs/providers.md §5).
 */
export const slackConfigSchema = z
  .object({
    type: z.literal('slack'),
    webhookUrl: httpUrl,
    botToken: optionalString,
    /** A channel ID (C…, G…), a DM or user ID (D…, U…), or a channel name. */
    channel: optionalString,
    apiUrl: httpUrl.default('https://slack.com'),
    ...channelBase,
  })
  .strict()
  .refine((c) => Boolean(c.webhookUrl) !== Boolean(c.botToken), {
    message: 'set either webhookUrl (an incoming webhook) or botToken and channel (the Web API)',
    path: ['webhookUrl'],
  })
  .refine((c) => !c.botToken || Boolean(c.channel), { message: 'required with botToken: the channel ID (C…) or name to post to', path: ['channel'] })
  .refine((c) => !c.channel || Boolean(c.botToken), {
    message: 'channel goes with botToken: an incoming webhook always posts to the channel it was created for',
    path: ['channel'],
  });

export type SlackChannelConfig = z.output<typeof slackConfigSchema>;

/**
 * Incoming webhooks take 1 message per second per webhook, chat.postMessage 1 per second per
 * channel, both with short bursts (docs/providers.md §5.6). Going far over it for minutes can get
 * a webhook disabled, so the gateway paces before Slack has to say 429.
 */
export const slackPace = (): Pace => ({ max: 1, durationMs: 1000 });

/**
 * The bot token, and the secret part of a webhook URL: everything after `/services/` (the URL
 * is the webhook's only credential, and Slack revokes ones it finds leaked, §5.1).
 */
export function slackSecrets(config: SlackChannelConfig): string[] {
  return [config.botToken, webhookSecret(config.webhookUrl)].filter((s): s is string => Boolean(s));
}

function webhookSecret(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const { pathname, search } = new URL(url);
  const marker = pathname.indexOf('/services/');
  // A proxy or a test server may use another path: then the whole path is the secret.
  const secret = marker >= 0 ? pathname.slice(marker + '/services/'.length) : `${pathname.replace(/^\/+/, '')}${search}`;
  return secret || undefined;
}
