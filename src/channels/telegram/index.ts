import type { ChannelTypeDefinition } from '../channel-type';
import { telegramPace, telegramSecrets, type TelegramChannelConfig } from './config';
import { createTelegramChannel } from './notifier';

export const telegramType: ChannelTypeDefinition<TelegramChannelConfig> = {
  create: (name, config, options) => createTelegramChannel(name, config, { timeoutMs: options.timeoutMs }),
  secrets: telegramSecrets,
  pace: telegramPace,
  templateSet: () => 'telegram',
};
