import type { BackoffStrategy } from 'bullmq';

/** Named apart from BullMQ's built-in "exponential" so the job options say which one runs. */
export const JITTERED_BACKOFF = 'exponential-jitter';
const MAX_DELAY_MS = 10 * 60_000;

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so a burst of
 * failed jobs does not come back at the provider all at the same moment.
 */
export function createBackoffStrategy(baseMs: number, random: () => number = Math.random): BackoffStrategy {
  return (attemptsMade) => {
    const ceiling = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  };
}

/** The shortest provider pause: Telegram's rule is max(retry_after, 1) s, and a Retry-After of 0 means the same. */
const MIN_PROVIDER_WAIT_MS = 1000;

/**
 * How long a channel pauses when its provider asks it to slow down: what the provider asked
 * for, but at most `maxMs` (delivery.maxRetryAfter). A provider's number is not trusted further:
 * a huge one would stop the channel for years while ingest keeps accepting alerts for it.
 */
export function providerWaitMs(requestedMs: number, maxMs: number): number {
  if (Number.isNaN(requestedMs)) return MIN_PROVIDER_WAIT_MS;
  return Math.ceil(Math.min(maxMs, Math.max(MIN_PROVIDER_WAIT_MS, requestedMs)));
}
