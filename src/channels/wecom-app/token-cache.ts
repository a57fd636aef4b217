import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Cluster, Redis } from 'ioredis';
import { PermanentDeliveryError, RetryableDeliveryError, type FailureReason } from '../delivery-errors';
import type { AccessToken } from './api';

/**
 * Refreshed this long before WeCom's expires_in runs out (docs/providers.md §7: "shortly before,
 * e.g. 300 s early"), so a token is never used in its last minutes.
 */
export const EXPIRY_MARGIN_S = 300;
/** One gettoken at a time: the lock outlives a slow answer, and frees itself if its holder dies. */
export const LOCK_MS = 15_000;
/** How often a sender waiting for another one's refresh looks for the new token. */
const POLL_MS = 50;
/**
 * A gettoken refused for good (wrong secret or corp id) is remembered this long, so a burst of
 * alerts fails on one call instead of hammering WeCom: 2000 failing calls in an hour block the
 * API for an hour (§7.1).
 */
export const FAILURE_MEMORY_MS = 60_000;

export interface TokenCacheOptions {
  redis: Redis | Cluster;
  /** The gateway's Redis key prefix (redis.prefix). */
  prefix: string;
  /** Every app has its own secret and token (§7.1): the cache is keyed by corp id and secret. */
  corpId: string;
  corpSecret: string;
  fetch: (signal: AbortSignal) => Promise<AccessToken>;
}

export interface TokenCache {
  /** The token every worker and process shares; fetched when none is stored, by one of them at a time. */
  get(signal: AbortSignal): Promise<string>;
  /** Forgets `stale` unless another sender already replaced it, so the next get() fetches a fresh one. */
  invalidate(stale: string): Promise<void>;
}

// Deletes the key only while it still holds the caller's value: a lock we no longer own (it
// expired and another process took it), or a token another sender already refreshed, stays.
const DELETE_IF_EQUAL = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/**
 * The app's access_token in Redis, shared by every worker of every gateway process until
 * shortly before it expires. WeCom intercepts apps that call gettoken often (§7.1), so a missing
 * token is fetched by whoever takes the lock (SET NX PX) while the others poll for its result.
 */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const { redis } = options;
  // The secret itself never becomes part of a key name; its hash changes when the secret does.
  const app = createHash('sha256').update(`${options.corpId}\0${options.corpSecret}`).digest('hex').slice(0, 24);
  // One hash slot for the three keys, so a Redis Cluster keeps them together.
  const base = `${options.prefix}:wecom-app:{${app}}`;
  const tokenKey = `${base}:token`;
  const lockKey = `${base}:lock`;
  const failureKey = `${base}:refused`;

  async function refreshHoldingLock(signal: AbortSignal): Promise<string> {
    // Another process may have stored a token between our read and our lock.
    const stored = await viaRedis(() => redis.get(tokenKey));
    if (stored) return stored;
    try {
      const fresh = await options.fetch(signal);
      await viaRedis(() => redis.set(tokenKey, fresh.token, 'PX', lifetimeMs(fresh.expiresInS)));
      return fresh.token;
    } catch (err) {
      if (err instanceof PermanentDeliveryError) {
        await viaRedis(() => redis.set(failureKey, `${err.reason}\n${err.message}`, 'PX', FAILURE_MEMORY_MS));
      }
      throw err;
    }
  }

  return {
    async get(signal) {
      for (;;) {
        const [stored, refused] = await viaRedis(() => redis.mget(tokenKey, failureKey));
        if (stored) return stored;
        if (refused) throw rememberedFailure(refused);
        const owner = randomUUID();
        if ((await viaRedis(() => redis.set(lockKey, owner, 'PX', LOCK_MS, 'NX'))) === 'OK') {
          try {
            return await refreshHoldingLock(signal);
          } finally {
            await viaRedis(() => redis.eval(DELETE_IF_EQUAL, 1, lockKey, owner));
          }
        }
        // Someone else is fetching: its token appears under tokenKey, or its lock goes away.
        await delay(POLL_MS, undefined, { signal }).catch(() => {
          throw new RetryableDeliveryError('timeout', 'WeCom app: no access_token before the delivery timeout (another worker was fetching one)');
        });
      }
    },
    async invalidate(stale) {
      await viaRedis(() => redis.eval(DELETE_IF_EQUAL, 1, tokenKey, stale));
    },
  };
}

/** How long a token is kept: expires_in minus the margin, and half of it for a strangely short one. */
export function lifetimeMs(expiresInS: number): number {
  const seconds = expiresInS > 2 * EXPIRY_MARGIN_S ? expiresInS - EXPIRY_MARGIN_S : expiresInS / 2;
  return Math.max(1000, Math.floor(seconds * 1000));
}

/** The stored "<reason>\n<message>" of a refused gettoken, as the error it was. */
function rememberedFailure(stored: string): PermanentDeliveryError {
  const newline = stored.indexOf('\n');
  const reason: FailureReason = stored.startsWith('authError\n') ? 'authError' : 'clientError';
  return new PermanentDeliveryError(reason, `${stored.slice(newline + 1)} (remembered for ${FAILURE_MEMORY_MS / 1000} s; gettoken not called again)`);
}

/** Redis being away is as transient as the provider being away: the job is retried. */
async function viaRedis<T>(command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (err) {
    throw new RetryableDeliveryError('networkError', `Redis, for the WeCom app token: ${(err as Error).message}`);
  }
}
