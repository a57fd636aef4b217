import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { AlertEvent } from '../normalize/event';
import type { SummaryIssue } from './summary-facts';

/** What a bucket held when its summary closed it. */
export interface StoredBucket {
  from?: number;
  total: number;
  counts: Record<string, number>;
  issues: SummaryIssue[];
}

export type RecordOutcome = 'recorded' | 'again' | 'closed';

export interface SummaryStore {
  /**
   * Counts one alert into a channel's bucket: `again` for an alert (by identity) the bucket
   * already has, so a retried intake job does not count twice; `closed` once the summary read it.
   */
  record(channel: string, bucket: string, event: AlertEvent, from: number, ttlMs: number): Promise<RecordOutcome>;
  /** Closes the bucket (later alerts go to the next one) and reads it. */
  take(channel: string, bucket: string): Promise<StoredBucket>;
}

/**
 * One atomic step per alert: the bucket's alert set makes the count idempotent, the meta hash
 * holds totals by severity and status, the issues hash one small record per dedupKey (the
 * latest title, link and status, and its count). `closed` is set by the summary when it reads
 * the bucket, so an alert that raced the period's end goes to the next period instead of nowhere.
 */
const RECORD = `
local meta, ids, issues = KEYS[1], KEYS[2], KEYS[3]
local identity, dedupKey, issueJson, severity, status, from, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7])
if redis.call('HEXISTS', meta, 'closed') == 1 then return 'closed' end
if redis.call('SADD', ids, identity) == 0 then return 'again' end
redis.call('HSETNX', meta, 'from', from)
redis.call('HINCRBY', meta, 'total', 1)
redis.call('HINCRBY', meta, 'severity:' .. severity, 1)
redis.call('HINCRBY', meta, 'status:' .. status, 1)
local issue = cjson.decode(issueJson)
local cur = redis.call('HGET', issues, dedupKey)
issue.count = 1
if cur then issue.count = cjson.decode(cur).count + 1 end
redis.call('HSET', issues, dedupKey, cjson.encode(issue))
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ttl) end
return 'recorded'
`;

const TAKE = `
redis.call('HSET', KEYS[1], 'closed', '1')
return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[3])}
`;

interface StoreScripts {
  ngwSummaryRecord(meta: string, ids: string, issues: string, ...args: Array<string | number>): Promise<string>;
  ngwSummaryTake(meta: string, ids: string, issues: string): Promise<[string[], string[]]>;
}

export function createSummaryStore(redis: Redis | Cluster, prefix: string): SummaryStore {
  redis.defineCommand('ngwSummaryRecord', { numberOfKeys: 3, lua: RECORD });
  redis.defineCommand('ngwSummaryTake', { numberOfKeys: 3, lua: TAKE });
  // defineCommand adds the methods at run time; ioredis' types cannot know them.
  const scripts = redis as unknown as StoreScripts;
  // One hash tag per bucket keeps its keys in one Redis Cluster slot.
  const keys = (channel: string, bucket: string) => {
    const base = `${prefix}:summary:{${channel}\0${bucket}}`;
    return [`${base}:meta`, `${base}:ids`, `${base}:issues`] as const;
  };
  return {
    async record(channel, bucket, event, from, ttlMs) {
      const issue: Omit<SummaryIssue, 'count'> = {
        title: event.title, source: event.source, severity: event.severity, status: event.status,
        ...(event.url && { url: event.url }), ...(event.project && { project: event.project }),
      };
      const id = createHash('sha256').update(event.identity).digest('hex').slice(0, 32);
      const outcome = await scripts.ngwSummaryRecord(...keys(channel, bucket), id, event.dedupKey, JSON.stringify(issue), event.severity, event.status, from, ttlMs);
      return outcome as RecordOutcome;
    },
    async take(channel, bucket) {
      const [meta, issues] = await scripts.ngwSummaryTake(...keys(channel, bucket));
      const counts = Object.fromEntries(pairs(meta).map(([k, v]) => [k, Number(v)]));
      return {
        ...(counts.from !== undefined && { from: counts.from }),
        total: counts.total ?? 0,
        counts,
        issues: pairs(issues).map(([, json]) => JSON.parse(json) as SummaryIssue),
      };
    },
  };
}

function pairs(flat: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
