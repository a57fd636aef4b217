import type { ChannelConfig } from '../config/schema';

/** BullMQ limiter settings: at most `max` jobs start per `durationMs`. */
export interface RateLimit {
  max: number;
  durationMs: number;
}

/** Room for network jitter: a message that left on time may still arrive a little early relative to the one before. */
const SAFETY = 1.05;

/**
 * Pace each destination below its provider's published limit, so the provider never has to
 * throttle us (PROVIDERS.md §1.7: about 1 message/s per chat, 20/min in a group; §2.3, §3.4).
 *
 * A limit of "max per period" becomes one message every period/max (plus 5%), not a burst of
 * max: BullMQ's limiter counts in fixed windows, so "20 per minute" would let 20 go at the end of
 * one window and 20 more at the start of the next, and providers count over a sliding minute
 * (DingTalk answers the 21st with a 10-minute throttle). Even spacing never exceeds the limit in
 * any window.
 */
export function rateLimitFor(channel: ChannelConfig): RateLimit | undefined {
  const limit = configuredOrDefault(channel);
  return limit && { max: 1, durationMs: Math.ceil((limit.durationMs / limit.max) * SAFETY) };
}

function configuredOrDefault(channel: ChannelConfig): RateLimit | undefined {
  if (channel.rateLimit) return { max: channel.rateLimit.max, durationMs: channel.rateLimit.per };
  switch (channel.type) {
    case 'telegram':
      return channel.chatId.startsWith('-') ? { max: 20, durationMs: 60_000 } : { max: 1, durationMs: 1000 };
    case 'wecom':
    case 'dingtalk':
      // 20 messages/minute per robot (§2.3, §3.4).
      return { max: 20, durationMs: 60_000 };
    case 'console':
      return undefined;
  }
}
