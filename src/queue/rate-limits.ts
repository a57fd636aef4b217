import { paceOf } from '../channels/registry';
import type { ChannelConfig } from '../channels/config';

/** BullMQ limiter settings: at most `max` jobs start per `durationMs`. */
export interface RateLimit {
  max: number;
  durationMs: number;
}

/**
 * Room for jitter: the message before may have reached the provider late (a cold connection, a
 * busy event loop), which shortens the gap the provider sees. 5% plus a fixed 250 ms per window
 * kept a strict sliding-window fake silent with both cores saturated.
 */
const SAFETY = 1.05;
const SAFETY_MS = 250;

/**
 * Pace each destination below its provider's published limit (each channel type's folder knows
 * its own), so the provider never has to throttle us.
 *
 * A limit of "max per period" becomes one message every period/max (plus a margin), not a burst of
 * max: BullMQ's limiter counts in fixed windows, so "20 per minute" would let 20 go at the end of
 * one window and 20 more at the start of the next, and providers count over a sliding minute
 * (DingTalk answers the 21st with a 10-minute throttle). Even spacing never exceeds the limit in
 * any window.
 */
export function rateLimitFor(channel: ChannelConfig): RateLimit | undefined {
  const limit = paceOf(channel);
  return limit && { max: 1, durationMs: Math.ceil((limit.durationMs * SAFETY + SAFETY_MS) / limit.max) };
}
