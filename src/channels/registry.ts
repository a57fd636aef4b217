import type { ChannelConfig } from '../config/schema';
import type { Channel, ChannelType } from './channel';
import { createConsoleChannel } from './console';
import { createDingtalkChannel, dingtalkSecrets } from './dingtalk';
import { createTelegramChannel } from './telegram';
import { createWecomChannel, wecomSecrets } from './wecom';

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
    case 'wecom':
      return createWecomChannel(name, config, { timeoutMs: options.timeoutMs });
    case 'dingtalk':
      return createDingtalkChannel(name, config, { timeoutMs: options.timeoutMs });
    case 'console':
      return createConsoleChannel(name, options.writeConsole);
  }
}

/** Every configured secret, so the logger can scrub any that slips into a line. */
export function channelSecrets(configs: Record<string, ChannelConfig>): string[] {
  return Object.values(configs).flatMap((config) => {
    switch (config.type) {
      case 'telegram':
        return [config.botToken];
      case 'wecom':
        return wecomSecrets(config);
      case 'dingtalk':
        return dingtalkSecrets(config);
      case 'console':
        return [];
    }
  });
}

/**
 * Which templates and escaping a channel's messages use. A robot in `text` mode shows markup
 * literally, so it gets the plain-text (console) layout instead of its markdown one.
 */
export function renderTypeOf(config: ChannelConfig): ChannelType {
  return (config.type === 'wecom' || config.type === 'dingtalk') && config.msgType === 'text' ? 'console' : config.type;
}
