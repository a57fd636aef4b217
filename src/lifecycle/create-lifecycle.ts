import type { Cluster, Redis } from 'ioredis';
import type { Channel } from '../channels/channel';
import { lifecyclePolicy, type ChannelLifecycleConfig, type LifecycleConfig, type LifecyclePolicy } from './config';
import type { EditMetrics } from './edit-metrics';
import { createLifecycleStore, type LifecycleStore } from './lifecycle-store';

export interface Lifecycle {
  store: LifecycleStore;
  /** Every channel's policy, by name. */
  policies: ReadonlyMap<string, LifecyclePolicy>;
  /** What a channel's delivery worker needs; undefined where `lifecycle.edit` is off (one message per notification). */
  forWorker(channel: string): { store: LifecycleStore; policy: LifecyclePolicy; metrics: EditMetrics } | undefined;
}

/** The lifecycle stage's parts for the configured channels: one store, each channel's policy, the edit counter. */
export function createLifecycle(
  config: LifecycleConfig,
  channels: ReadonlyMap<string, Channel>,
  channelConfigs: Readonly<Record<string, { lifecycle?: ChannelLifecycleConfig }>>,
  redis: Redis | Cluster,
  // The edit counter is made once per process: a reload builds a new lifecycle, not a new metric.
  options: { prefix: string; metrics: EditMetrics },
): Lifecycle {
  const policies = new Map(
    [...channels].map(([name, channel]) => [name, lifecyclePolicy(config, channelConfigs[name]?.lifecycle, channel.edit !== undefined)]),
  );
  const store = createLifecycleStore(redis, { prefix: options.prefix, ttlMs: (channel) => policies.get(channel)?.ttlMs ?? config.ttl });
  const { metrics } = options;
  return {
    store,
    policies,
    forWorker(channel) {
      const policy = policies.get(channel);
      return policy?.enabled ? { store, policy, metrics } : undefined;
    },
  };
}
