import type { ChannelTypeDefinition } from '../channel-type';
import { wecomAppPace, type WecomAppChannelConfig } from './config';
import { createWecomAppChannel, wecomAppSecrets } from './notifier';

export const wecomAppType: ChannelTypeDefinition<WecomAppChannelConfig> = {
  create: (name, config, { redis, prefix }) => {
    // The access_token is shared through Redis by every worker and process (docs/providers.md §7).
    if (!redis || prefix === undefined) throw new Error(`channel ${name}: wecom-app needs the gateway's Redis connection to share its access_token`);
    return createWecomAppChannel(name, config, { redis, prefix });
  },
  secrets: wecomAppSecrets,
  pace: wecomAppPace,
  // App markdown is the robot's (<font color>) in 2048 bytes: its own templates put the links first
  // so a cut never loses them. Text and text cards take plain text.
  templateSet: (config) => (config.msgType === 'markdown' ? 'wecom-app' : 'console'),
};
