import type { ChannelTypeDefinition } from '../channel-type';
import { telegramPace, telegramSecrets, type TelegramChannelConfig } from './config';
import { createTelegramChannel } from './notifier';

export const telegramType: ChannelTypeDefinition<TelegramChannelConfig> = {
  create: (name, config) => createTelegramChannel(name, config),
  secrets: telegramSecrets,
  pace: telegramPace,
  templateSet: () => 'telegram',
};
