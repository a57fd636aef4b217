import type { ChannelTypeDefinition } from '../channel-type';
import { dingtalkPace, type DingtalkChannelConfig } from './config';
import { createDingtalkChannel, dingtalkSecrets } from './notifier';

export const dingtalkType: ChannelTypeDefinition<DingtalkChannelConfig> = {
  create: (name, config) => createDingtalkChannel(name, config),
  secrets: dingtalkSecrets,
  pace: dingtalkPace,
  // A robot in text mode shows markup literally, so it gets the plain-text layout.
  templateSet: (config) => (config.msgType === 'text' ? 'console' : 'dingtalk'),
};
