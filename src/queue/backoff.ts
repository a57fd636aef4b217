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
