import type { Cluster, Redis } from 'ioredis';

/**
 * The history's writes, each one atomic script so concurrent workers never leave a record whose
 * outcome index disagrees with its deliveries. Every key carries the `{history}` hash tag, so
 * the scripts may touch them all on a Redis Cluster too.
 *
 * Record layout (README, "History and the web page"):
 *  - `<base>:e:<id>` hash: `f` the event's fields (JSON), `r` receivedAt (ms), `c` its channels
 *    (JSON), `d:<channel>` that channel's latest delivery state (JSON); expires with retention;
 *  - `<base>:t:<id>` list: the timeline, oldest first, bounded;
 *  - `<base>:all` and `<base>:i:<field>:<value>` sorted sets of ids by receivedAt: the listing
 *    and the filters' indexes; `<base>:indexes` names every index, for the retention trim.
 */

/** Writes a new record with its first timeline steps; a record that exists (a retried intake job) is left alone. */
const RECORD_EVENT = `
local hash, all, indexes, timeline = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, score, expireAt = ARGV[1], tonumber(ARGV[2]), ARGV[5]
if redis.call('EXISTS', hash) == 1 then return 0 end
redis.call('HSET', hash, 'f', ARGV[3], 'r', ARGV[2], 'c', ARGV[4])
for channel, delivery in pairs(cjson.decode(ARGV[7])) do redis.call('HSET', hash, 'd:' .. channel, delivery) end
redis.call('PEXPIREAT', hash, expireAt)
for _, entry in ipairs(cjson.decode(ARGV[8])) do redis.call('RPUSH', timeline, entry) end
redis.call('PEXPIREAT', timeline, expireAt)
redis.call('ZADD', all, score, id)
for _, key in ipairs(cjson.decode(ARGV[6])) do
  redis.call('ZADD', key, score, id)
  redis.call('SADD', indexes, key)
end
return 1
`;

/**
 * One channel's new outcome: merges it into the delivery state, appends the timeline step and
 * moves the id between outcome indexes (it leaves an index only when no other channel of the
 * event still has that outcome). "pending" never overwrites a state a worker already wrote.
 */
const RECORD_OUTCOME = `
local hash, timeline, indexes = KEYS[1], KEYS[2], KEYS[3]
local id, channel, outcome, attempts, messageId, err, at, entry, outcomeIndex, maxTimeline, retention, jobId =
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[12]
if redis.call('EXISTS', hash) == 0 then return 0 end
local field = 'd:' .. channel
local oldRaw = redis.call('HGET', hash, field)
local old = nil
if oldRaw then old = cjson.decode(oldRaw) end
if outcome == 'pending' and old then return 2 end
local channels = cjson.decode(redis.call('HGET', hash, 'c'))
if not old then
  table.insert(channels, channel)
  redis.call('HSET', hash, 'c', cjson.encode(channels))
end
local delivery = {
  channel = channel, outcome = outcome, at = at,
  attempts = tonumber(attempts) or (old and old.attempts) or 0,
  providerMessageId = (messageId ~= '' and messageId) or (old and old.providerMessageId) or cjson.null,
  error = (err ~= '' and err) or cjson.null,
  jobId = (jobId ~= '' and jobId) or (old and old.jobId) or cjson.null,
}
redis.call('HSET', hash, field, cjson.encode(delivery))
local score = redis.call('HGET', hash, 'r')
redis.call('RPUSH', timeline, entry)
redis.call('LTRIM', timeline, -maxTimeline, -1)
redis.call('PEXPIREAT', timeline, tonumber(score) + retention)
redis.call('ZADD', outcomeIndex .. outcome, score, id)
redis.call('SADD', indexes, outcomeIndex .. outcome)
if old and old.outcome ~= outcome then
  local still = false
  for _, other in ipairs(channels) do
    if other ~= channel then
      local raw = redis.call('HGET', hash, 'd:' .. other)
      if raw and cjson.decode(raw).outcome == old.outcome then still = true end
    end
  end
  if not still then redis.call('ZREM', outcomeIndex .. old.outcome, id) end
end
return 1
`;

/**
 * Removes up to ARGV[4] records older than ARGV[1] or beyond the newest ARGV[2]; returns how many.
 * Index entries at exactly the last removed score may stay behind: reads skip an id whose record
 * is gone, and the next trim takes them.
 */
const TRIM = `
local all, indexes = KEYS[1], KEYS[2]
local cutoff, maxEvents, base, batch = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local victims = redis.call('ZRANGE', all, '-inf', '(' .. cutoff, 'BYSCORE', 'LIMIT', 0, batch, 'WITHSCORES')
if #victims == 0 then
  local excess = redis.call('ZCARD', all) - maxEvents
  if excess <= 0 then return 0 end
  victims = redis.call('ZRANGE', all, 0, math.min(excess, batch) - 1, 'WITHSCORES')
end
local last = victims[#victims]
for i = 1, #victims, 2 do
  local id = victims[i]
  redis.call('DEL', base .. ':e:' .. id, base .. ':t:' .. id)
  redis.call('ZREM', all, id)
end
for _, key in ipairs(redis.call('SMEMBERS', indexes)) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. last)
  if redis.call('ZCARD', key) == 0 then redis.call('SREM', indexes, key) end
end
return #victims / 2
`;

export interface HistoryScripts {
  ngwHistoryRecordEvent(hash: string, all: string, indexes: string, timeline: string, ...args: Array<string | number>): Promise<number>;
  ngwHistoryRecordOutcome(hash: string, timeline: string, indexes: string, ...args: Array<string | number>): Promise<number>;
  ngwHistoryTrim(all: string, indexes: string, ...args: Array<string | number>): Promise<number>;
}

export function defineHistoryScripts(redis: Redis | Cluster): HistoryScripts {
  if (!('ngwHistoryTrim' in redis)) {
    redis.defineCommand('ngwHistoryRecordEvent', { numberOfKeys: 4, lua: RECORD_EVENT });
    redis.defineCommand('ngwHistoryRecordOutcome', { numberOfKeys: 3, lua: RECORD_OUTCOME });
    redis.defineCommand('ngwHistoryTrim', { numberOfKeys: 2, lua: TRIM });
  }
  // defineCommand adds the methods at run time; ioredis' types cannot know them.
  return redis as unknown as HistoryScripts;
}
