import type { ChannelTypeDefinition } from '../channel-type';
import { wecomPace, type WecomChannelConfig } from './config';
import { createWecomChannel, wecomSecrets } from './notifier';

export const wecomType: ChannelTypeDefinition<WecomChannelConfig> = {
  create: (name, config) => createWecomChannel(name, config),
  secrets: wecomSecrets,
  pace: wecomPace,
  // A robot in text mode shows markup literally, so it gets the plain-text layout.
  templateSet: (config) => (config.msgType === 'text' ? 'console' : 'wecom'),
};
