import type { ChannelConfig } from '../config/schema';

export interface RateLimit {
  max: number;
  durationMs: number;
}

/**
 * Pace each destination below its provider's published limit, so the provider never has to
 * throttle us (PROVIDERS.md §1.7: about 1 message/s per chat, 20/min in a group).
 */
export function rateLimitFor(channel: ChannelConfig): RateLimit | undefined {
  if (channel.rateLimit) return { max: channel.rateLimit.max, durationMs: channel.rateLimit.per };
  switch (channel.type) {
    case 'telegram':
      return channel.chatId.startsWith('-') ? { max: 20, durationMs: 60_000 } : { max: 1, durationMs: 1000 };
    case 'console':
      return undefined;
  }
}
