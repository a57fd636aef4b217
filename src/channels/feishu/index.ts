import type { ChannelTypeDefinition } from '../channel-type';
import { feishuPace, type FeishuChannelConfig } from './config';
import { createFeishuChannel, feishuSecrets } from './notifier';

export const feishuType: ChannelTypeDefinition<FeishuChannelConfig> = {
  create: (name, config) => createFeishuChannel(name, config),
  secrets: feishuSecrets,
  pace: feishuPace,
  // Cards and text messages both show the message as plain text (plain_text elements).
  templateSet: () => 'feishu',
};
