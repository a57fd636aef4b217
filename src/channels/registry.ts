import type { ChannelConfig } from '../config/schema';
import type { Channel } from './channel';
import { createConsoleChannel } from './console';
import { createTelegramChannel } from './telegram';

export interface ChannelFactoryOptions {
  timeoutMs: number;
  /** Where the console channel prints. */
  writeConsole: (text: string) => void;
}

/** One Channel per configured name, each built from its own slice of the config. */
export function createChannels(configs: Record<string, ChannelConfig>, options: ChannelFactoryOptions): Map<string, Channel> {
  return new Map(Object.entries(configs).map(([name, config]) => [name, createChannel(name, config, options)]));
}

function createChannel(name: string, config: ChannelConfig, options: ChannelFactoryOptions): Channel {
  switch (config.type) {
    case 'telegram':
      return createTelegramChannel(name, config, { timeoutMs: options.timeoutMs });
    case 'console':
      return createConsoleChannel(name, options.writeConsole);
  }
}

/** Every configured secret, so the logger can scrub any that slips into a line. */
export function channelSecrets(configs: Record<string, ChannelConfig>): string[] {
  return Object.values(configs).flatMap((config) => (config.type === 'telegram' ? [config.botToken] : []));
}
