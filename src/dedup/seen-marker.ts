import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/**
 * How long a notification is remembered by identity: `dedup.remember` (an hour by default), or the
 * dedup window when that is longer. Also the length of a delivery generation (delivery-job.ts).
 */
export function rememberMsOf(dedup: { window: number; remember: number }): number {
  return Math.max(dedup.remember, dedup.window);
}

/**
 * Remembers which notifications were already fanned out, by identity. Marked only after every
 * delivery job was stored, so a crash in between makes the retry redo the (idempotent) work
 * instead of skipping it.
 */
export interface SeenMarker {
  seen(identity: string): Promise<boolean>;
  mark(identity: string): Promise<void>;
}

export function createSeenMarker(redis: Redis | Cluster, options: { prefix: string; rememberMs: number }): SeenMarker {
  const key = (identity: string) => `${options.prefix}:seen:${createHash('sha256').update(identity).digest('hex').slice(0, 32)}`;
  return {
    async seen(identity) {
      return (await redis.exists(key(identity))) === 1;
    },
    async mark(identity) {
      await redis.set(key(identity), '1', 'PX', options.rememberMs);
    },
  };
}
