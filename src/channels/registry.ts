import type { Channel } from './channel';
import type { ChannelFactoryOptions, ChannelTypeDefinition } from './channel-type';
import type { Pace } from './channel-config';
import type { ChannelConfig, ChannelTypeName } from './config';
import { consoleType } from './console';
import { dingtalkType } from './dingtalk';
import { slackType } from './slack';
import { feishuType } from './feishu';
import { telegramType } from './telegram';
import { webhookType } from './webhook';
import { wecomType } from './wecom';
import { wecomAppType } from './wecom-app';
import type { TemplateSet } from '../render/rendered-message';

export type { ChannelFactoryOptions };

/** Every channel type, by the `type` its config names. A new type is a folder and a line here. */
const TYPES: { [T in ChannelTypeName]: ChannelTypeDefinition<Extract<ChannelConfig, { type: T }>> } = {
  telegram: telegramType,
  wecom: wecomType,
  dingtalk: dingtalkType,
  console: consoleType,
  slack: slackType,
  feishu: feishuType,
  'wecom-app': wecomAppType,
  webhook: webhookType,
};

// TypeScript cannot correlate `config.type` with the entry it picks, so the lookup is widened once here.
const definitionOf = (config: ChannelConfig) => TYPES[config.type] as ChannelTypeDefinition<ChannelConfig>;

/** One Channel per configured name, each built from its own slice of the config. */
export function createChannels(configs: Record<string, ChannelConfig>, options: ChannelFactoryOptions): Map<string, Channel> {
  return new Map(Object.entries(configs).map(([name, config]) => [name, definitionOf(config).create(name, config, options)]));
}

/** Every configured secret, so the logger can scrub any that slips into a line. */
export function channelSecrets(configs: Record<string, ChannelConfig>): string[] {
  return Object.values(configs).flatMap((config) => definitionOf(config).secrets(config));
}

/** Which templates and escaping a channel's messages use. */
export function templateSetOf(config: ChannelConfig): TemplateSet {
  return definitionOf(config).templateSet(config);
}

/** The provider's published limit for this destination, unless the config sets its own. */
export function paceOf(config: ChannelConfig): Pace | undefined {
  return config.rateLimit ? { max: config.rateLimit.max, durationMs: config.rateLimit.per } : definitionOf(config).pace(config);
}
