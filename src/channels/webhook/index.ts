import type { ChannelTypeDefinition } from '../channel-type';
import { isJsonContentType, webhookPace, type WebhookChannelConfig } from './config';
import { createWebhookChannel } from './notifier';
import { webhookSecrets } from './secrets';

export const webhookType: ChannelTypeDefinition<WebhookChannelConfig> = {
  create: (name, config) => createWebhookChannel(name, config),
  secrets: webhookSecrets,
  pace: webhookPace,
  // The default body's text is plain; a template that writes JSON gets JSON string escaping, and
  // its channel's digests the JSON layout of templates/webhook/digest.hbs.
  templateSet: (config) => (config.template && isJsonContentType(config.contentType) ? 'webhook' : 'console'),
};
