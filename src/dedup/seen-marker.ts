import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** DESIGN.md "Idempotent ingest": a webhook is remembered for at least an hour, whatever dedup.window is. */
export const MIN_REMEMBER_MS = 3600_000;

/**
 * Remembers which notifications were already fanned out, by identity. Marked only after every
 * delivery job was stored, so a crash in between makes the retry redo the (idempotent) work
 * instead of skipping it.
 */
export interface SeenMarker {
  seen(identity: string): Promise<boolean>;
  mark(identity: string): Promise<void>;
}

export function createSeenMarker(redis: Redis, options: { prefix: string; rememberMs: number }): SeenMarker {
  const key = (identity: string) => `${options.prefix}:seen:${createHash('sha256').update(identity).digest('hex').slice(0, 32)}`;
  const ttl = Math.max(MIN_REMEMBER_MS, options.rememberMs);
  return {
    async seen(identity) {
      return (await redis.exists(key(identity))) === 1;
    },
    async mark(identity) {
      await redis.set(key(identity), '1', 'PX', ttl);
    },
  };
}
