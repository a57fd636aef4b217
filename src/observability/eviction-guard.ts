import type { Cluster, Redis } from 'ioredis';
import type { Logger } from './logger';

export interface EvictionGuard {
  /** Why stored alerts are at risk (Redis may evict them), or undefined. */
  problem(): string | undefined;
  /** Reads maxmemory-policy again; the periodic check and every reconnect call it. */
  check(): Promise<void>;
}

/**
 * Under memory pressure an evicting Redis deletes keys, stored jobs among them, with no error to
 * anyone: alerts answered 202 would vanish. BullMQ's production guide: `noeviction` is the only
 * correct policy. A managed Redis that refuses CONFIG GET cannot be checked, so it is accepted
 * with one warning.
 */
export function createEvictionGuard(redis: Redis | Cluster, options: { allowEviction: boolean; logger: Logger }): EvictionGuard {
  const { logger } = options;
  let problem: string | undefined;
  const warnedOnce = new Set<string>();
  const warnOnce = (message: string) => {
    if (!warnedOnce.has(message)) logger.warn(message);
    warnedOnce.add(message);
  };
  const accept = (policy: string) => {
    if (problem) logger.info(`Redis maxmemory-policy is ${policy} now; ingest accepts alerts again`);
    problem = undefined;
  };
  return {
    problem: () => problem,
    async check() {
      let policy: string;
      try {
        policy = await readPolicy(redis);
      } catch (err) {
        const message = (err as Error).message;
        // Connection trouble is reported elsewhere and keeps the last verdict; only a refusal is final.
        if (!REFUSED.test(message)) return;
        warnOnce(`cannot read Redis maxmemory-policy (${message}); make sure it is noeviction, or stored alerts may be evicted`);
        accept('unknown');
        return;
      }
      if (policy === 'noeviction') return accept(policy);
      if (options.allowEviction) {
        warnOnce(`Redis maxmemory-policy is ${policy}: stored alerts may be evicted (accepted by redis.allowEviction)`);
        return accept(policy);
      }
      const next = `Redis maxmemory-policy is ${policy}: it may evict stored alerts; set maxmemory-policy noeviction (or redis.allowEviction: true to accept the loss)`;
      if (problem !== next) logger.error(`${next}; ingest answers 503 until then`);
      problem = next;
    },
  };
}

/** How Redis, or a managed service's proxy, says CONFIG is not for this client. */
const REFUSED = /unknown command|NOPERM|no permissions|not allowed|unknown subcommand/i;

/**
 * A Cluster's primaries each hold part of the data, and a failover or reshard may move the
 * gateway's slot to any of them: every one must be noeviction. The first that is not is named.
 */
async function readPolicy(redis: Redis | Cluster): Promise<string> {
  if (!redis.isCluster) return readNodePolicy(redis as Redis);
  const primaries = (redis as Cluster).nodes('master');
  // Not connected yet: connection trouble, reported elsewhere; the last verdict stands.
  if (primaries.length === 0) throw new Error('no Cluster primary connected');
  const policies = await Promise.all(primaries.map(async (node) => ({ node, policy: await readNodePolicy(node) })));
  const evicting = policies.find(({ policy }) => policy !== 'noeviction');
  return evicting ? `${evicting.policy} on ${evicting.node.options.host}:${evicting.node.options.port}` : 'noeviction';
}

async function readNodePolicy(redis: Redis): Promise<string> {
  const answer = (await redis.config('GET', 'maxmemory-policy')) as unknown;
  // ["maxmemory-policy", "<value>"]; an empty answer means this Redis has no such setting to evict by.
  return Array.isArray(answer) && typeof answer[1] === 'string' ? answer[1] : 'noeviction';
}
