import type { ChannelTypeDefinition } from '../channel-type';
import { slackPace, slackSecrets, type SlackChannelConfig } from './config';
import { createSlackChannel } from './notifier';

export const slackType: ChannelTypeDefinition<SlackChannelConfig> = {
  create: (name, config) => createSlackChannel(name, config),
  secrets: slackSecrets,
  pace: slackPace,
  templateSet: () => 'slack',
};
