import type { ChannelTypeDefinition } from '../channel-type';
import type { ConsoleChannelConfig } from './config';
import { createConsoleChannel } from './notifier';

export const consoleType: ChannelTypeDefinition<ConsoleChannelConfig> = {
  create: (name, _config, options) => createConsoleChannel(name, options.writeConsole),
  secrets: () => [],
  pace: () => undefined,
  templateSet: () => 'console',
};
