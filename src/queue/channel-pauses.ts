import type { DeliveryQueue } from './queues';

/** A channel's provider-requested pause: until when (epoch ms), or undefined when it is not paused. */
export interface ChannelPause {
  channel: string;
  pausedUntil: number | undefined;
}

/** Every configured channel's pause, read from Redis, so any replica (an api one too) sees it. */
export type ChannelPauseReader = () => Promise<ChannelPause[]>;

/**
 * Queue.rateLimit(), which the worker calls when a provider says "retry after", sets the queue's
 * limiter counter to Number.MAX_SAFE_INTEGER; the worker's own pacing counts the jobs it starts
 * (at most its limiter's max). Asking for the TTL at that count sees only provider pauses.
 */
const PROVIDER_PAUSE_COUNT = Number.MAX_SAFE_INTEGER;

export function createChannelPauseReader(queues: ReadonlyMap<string, DeliveryQueue>, now: () => number = Date.now): ChannelPauseReader {
  return async () => {
    const entries = [...queues];
    const ttls = await Promise.allSettled(entries.map(([, queue]) => queue.getRateLimitTtl(PROVIDER_PAUSE_COUNT)));
    // A queue Redis did not answer for shows as not paused; /ready and redis_up report Redis itself.
    return entries.map(([channel], i) => {
      const ttl = ttls[i]!;
      return { channel, pausedUntil: ttl.status === 'fulfilled' && ttl.value > 0 ? now() + ttl.value : undefined };
    });
  };
}

/** What /ready shows beside its status: the paused channels and until when (a paused channel is not the gateway being unready). */
export async function pausedChannelsDetail(read: ChannelPauseReader): Promise<Record<string, unknown>> {
  const paused = (await read()).filter((pause) => pause.pausedUntil !== undefined);
  if (paused.length === 0) return {};
  return { paused: paused.map((pause) => ({ channel: pause.channel, until: new Date(pause.pausedUntil!).toISOString() })) };
}
