import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** Where an incident stands on one channel: `archived` is Sentry's ignored/archived. */
export type LifecycleStatus = 'firing' | 'resolved' | 'archived';

/**
 * What the gateway remembers of one incident's message on one channel (README, "One message per
 * incident"). `messageId` is absent for providers that return none (robots): their follow-ups
 * still name the original from `title` and `firstFiredAt`.
 */
export interface LifecycleState {
  status: LifecycleStatus;
  title: string;
  /** ms since epoch: when the first message was sent. */
  firstFiredAt: number;
  /** ms since epoch: the latest repeat the gateway received. */
  lastSeenAt: number;
  /** Delivery job that posted the living message; its retry knows the message exists. */
  sentBy: string;
  messageId?: string;
  chatId?: string;
  threadId?: string;
  assignee?: string;
  /** Delivery job whose send was under way and not yet recorded (cleared when its outcome is known). */
  sending?: string;
  /** Jobs that already did their edit or reply, so their retries skip that step. */
  resolvedBy?: string;
  repliedBy?: string;
}

export interface LifecycleStore {
  get(channel: string, dedupKey: string): Promise<LifecycleState | undefined>;
  /** Marks `jobId`'s send as under way, before the provider is called. */
  beginSend(channel: string, dedupKey: string, jobId: string): Promise<void>;
  /** The job whose send is marked under way, if any (also before any state was recorded). */
  inFlight(channel: string, dedupKey: string): Promise<string | undefined>;
  /** The send failed with a known answer: nothing reached the chat. */
  endSend(channel: string, dedupKey: string, jobId: string): Promise<void>;
  /** A new living message: replaces what was remembered, in one step. */
  recordSent(channel: string, dedupKey: string, state: Omit<LifecycleState, 'sending' | 'resolvedBy' | 'repliedBy'>): Promise<void>;
  update(channel: string, dedupKey: string, fields: Partial<Omit<LifecycleState, 'sending'>>): Promise<void>;
  /** Counts one notification of the message `openerJob` posted (idempotent per identity); returns the count. */
  noteOccurrence(channel: string, dedupKey: string, openerJob: string, identity: string, at: number): Promise<number>;
  occurrences(channel: string, dedupKey: string, openerJob: string): Promise<number>;
  /** One job at a time per incident and channel: false while another holds it (it expires after `ttlMs`, for a killed process). */
  lock(channel: string, dedupKey: string, jobId: string, ttlMs: number): Promise<boolean>;
  unlock(channel: string, dedupKey: string, jobId: string): Promise<void>;
}

// Deletes the lock only if this job still holds it: one that expired may be another's by now.
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const FIELDS = ['status', 'title', 'firstFiredAt', 'lastSeenAt', 'sentBy', 'messageId', 'chatId', 'threadId', 'assignee', 'sending', 'resolvedBy', 'repliedBy'] as const;

/** One Redis hash per (channel, dedupKey), kept for `ttlMs` after its last change. */
export function createLifecycleStore(redis: Redis | Cluster, options: { prefix: string; ttlMs: (channel: string) => number }): LifecycleStore {
  // A hash tag keeps an incident's keys in one Redis Cluster slot.
  const key = (channel: string, dedupKey: string) => `${options.prefix}:life:{${channel}\0${dedupKey}}`;
  const idsKey = (channel: string, dedupKey: string, openerJob: string) => `${key(channel, dedupKey)}:ids:${openerJob}`;
  const write = async (channel: string, dedupKey: string, fields: Record<string, string | number | undefined>, del: string[] = []) => {
    const k = key(channel, dedupKey);
    const set = Object.entries(fields).filter((e): e is [string, string | number] => e[1] !== undefined);
    const multi = redis.multi();
    if (del.length > 0) multi.hdel(k, ...del);
    if (set.length > 0) multi.hset(k, Object.fromEntries(set));
    multi.pexpire(k, options.ttlMs(channel));
    await multi.exec();
  };
  return {
    async get(channel, dedupKey) {
      const values = await redis.hmget(key(channel, dedupKey), ...FIELDS);
      const raw = Object.fromEntries(FIELDS.map((f, i) => [f, values[i] ?? undefined])) as Record<(typeof FIELDS)[number], string | undefined>;
      if (!raw.status || !raw.sentBy) return undefined;
      return {
        status: raw.status as LifecycleStatus,
        title: raw.title ?? '',
        firstFiredAt: Number(raw.firstFiredAt ?? 0),
        lastSeenAt: Number(raw.lastSeenAt ?? raw.firstFiredAt ?? 0),
        sentBy: raw.sentBy,
        ...definedOnly({ messageId: raw.messageId, chatId: raw.chatId, threadId: raw.threadId, assignee: raw.assignee, sending: raw.sending, resolvedBy: raw.resolvedBy, repliedBy: raw.repliedBy }),
      };
    },
    beginSend: (channel, dedupKey, jobId) => write(channel, dedupKey, { sending: jobId }),
    async inFlight(channel, dedupKey) {
      return (await redis.hget(key(channel, dedupKey), 'sending')) ?? undefined;
    },
    async endSend(channel, dedupKey, jobId) {
      const k = key(channel, dedupKey);
      if ((await redis.hget(k, 'sending')) === jobId) await redis.hdel(k, 'sending');
    },
    recordSent: (channel, dedupKey, state) => write(channel, dedupKey, { ...state }, ['sending', 'resolvedBy', 'repliedBy', 'assignee', 'messageId', 'chatId', 'threadId']),
    update: (channel, dedupKey, fields) => write(channel, dedupKey, { ...fields }),
    async noteOccurrence(channel, dedupKey, openerJob, identity, at) {
      const ids = idsKey(channel, dedupKey, openerJob);
      const ttl = options.ttlMs(channel);
      const replies = await redis
        .multi()
        .sadd(ids, createHash('sha256').update(identity).digest('hex').slice(0, 16))
        .pexpire(ids, ttl)
        .scard(ids)
        .hset(key(channel, dedupKey), 'lastSeenAt', at)
        .pexpire(key(channel, dedupKey), ttl)
        .exec();
      return Number(replies?.[2]?.[1] ?? 0);
    },
    async occurrences(channel, dedupKey, openerJob) {
      return redis.scard(idsKey(channel, dedupKey, openerJob));
    },
    async lock(channel, dedupKey, jobId, ttlMs) {
      const k = `${key(channel, dedupKey)}:lock`;
      if ((await redis.set(k, jobId, 'PX', ttlMs, 'NX')) === 'OK') return true;
      // The same job again (a retry after its process died) takes its own lock back.
      return (await redis.get(k)) === jobId && (await redis.pexpire(k, ttlMs)) === 1;
    },
    async unlock(channel, dedupKey, jobId) {
      await redis.eval(UNLOCK, 1, `${key(channel, dedupKey)}:lock`, jobId);
    },
  };
}

function definedOnly<T extends Record<string, string | undefined>>(record: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== '')) as Partial<Record<keyof T, string>>;
}
