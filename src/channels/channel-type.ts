import type { Cluster, Redis } from 'ioredis';
import type { TemplateSet } from '../render/rendered-message';
import type { Channel } from './channel';
import type { Pace } from './channel-config';

export interface ChannelFactoryOptions {
  /** Where the console channel prints. */
  writeConsole: (text: string) => void;
  /** Shared state across workers and processes (wecom-app keeps its access_token there). */
  redis?: Redis | Cluster;
  /** The gateway's Redis key prefix (redis.prefix), for such state. */
  prefix?: string;
}

/** What the gateway needs to know of one channel type; each type's folder exports one. */
export interface ChannelTypeDefinition<C> {
  create(name: string, config: C, options: ChannelFactoryOptions): Channel;
  /** Every credential in the config, so logs, errors and previews can hide them. */
  secrets(config: C): string[];
  /** The provider's published limit per destination; undefined where there is none. */
  pace(config: C): Pace | undefined;
  /** Which templates and escaping its messages use. */
  templateSet(config: C): TemplateSet;
}
