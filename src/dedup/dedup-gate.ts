import type { Cluster, Redis } from 'ioredis';
import type { AlertEvent } from '../normalize/event';

/** Whether one (event, channel) opens a message or joins a window that already sent one. */
export type GateDecision =
  | {
      kind: 'pass';
      windowId: string;
      windowEndsAt: number;
      /** The delivery job id this message has: the one stored when this notification opened the window earlier. */
      jobId?: string;
      /** Identity of the notification that opened the previous window of this issue, if any: this one goes after it. */
      previousOpener?: string;
      /** That notification's delivery job id (absent in state written before job ids were stored). */
      previousOpenerJob?: string;
    }
  | {
      kind: 'suppressed';
      windowId: string;
      windowEndsAt: number;
      repeats: number;
      firstRepeat: boolean;
      /** Identity of the notification that opened the window: its digest goes after it. */
      opener: string;
      /** The opener's delivery job id (absent in state written before job ids were stored). */
      openerJob?: string;
    };

export interface WindowSummary {
  /** Distinct notifications suppressed in the window. */
  repeats: number;
  /** The largest affected-user count any of them reported, when the source gives one. */
  users?: number;
}

export interface DedupGate {
  /** `jobId`: the delivery job this event gets if it opens a window; remembered so later messages can follow it. */
  admit(channel: string, event: AlertEvent, jobId: string): Promise<GateDecision>;
  /** Reads and clears what a closed window suppressed, for its digest. */
  takeSummary(channel: string, dedupKey: string, windowId: string): Promise<WindowSummary>;
}

/** How long a window's repeat count outlives the window, for a digest held up by a throttled or dead provider. */
const SUMMARY_GRACE_MS = 6 * 3600_000;

/**
 * One atomic step per (channel, dedupKey), so concurrent intake workers agree on who opened a
 * window. The state hash remembers the window's status, end and opener:
 *  - a different status (firing -> resolved, or a regression) opens a new window: it always passes;
 *  - the opener's own identity passes again with the job id it was given (a retried intake job
 *    re-adds that same job, which BullMQ ignores), so a crash between this step and the job add
 *    loses nothing and a late resend of it is not a second message;
 *  - anything else in an open window is suppressed and counted once per identity.
 * Time comes from Redis, so every process measures windows on the same clock.
 */
const ADMIT = `
local state = KEYS[1]
local status, identity, windowMs, graceMs, users, jobId = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cur = redis.call('HMGET', state, 'status', 'windowId', 'until', 'opener', 'openerIdentity', 'openerJob')
local id = redis.sha1hex(identity)
if cur[1] == status and tonumber(cur[3]) ~= nil and now < tonumber(cur[3]) then
  if cur[4] == id then return {'pass', cur[2], cur[3], '', cur[6] or ''} end
  local seen = state .. ':' .. cur[2] .. ':seen'
  local added = redis.call('SADD', seen, id)
  redis.call('PEXPIRE', seen, windowMs + graceMs)
  if users > 0 then
    local usersKey = state .. ':' .. cur[2] .. ':users'
    local old = tonumber(redis.call('GET', usersKey) or '0')
    if users > old then redis.call('SET', usersKey, users, 'PX', windowMs + graceMs) end
  end
  local repeats = redis.call('SCARD', seen)
  return {'suppressed', cur[2], cur[3], tostring(repeats), tostring(added == 1 and repeats == 1), cur[5] or '', cur[6] or ''}
end
local windowId = tostring(now) .. '-' .. string.sub(id, 1, 8)
local untilMs = now + windowMs
redis.call('HSET', state, 'status', status, 'windowId', windowId, 'until', untilMs, 'opener', id, 'openerIdentity', identity, 'openerJob', jobId)
-- Kept past the window (but bounded) so the next window still knows which message it must follow.
redis.call('PEXPIRE', state, windowMs + graceMs)
return {'pass', windowId, tostring(untilMs), cur[5] or '', jobId, cur[6] or ''}
`;

const TAKE = `
local seen, usersKey = KEYS[1], KEYS[2]
local repeats = redis.call('SCARD', seen)
local users = redis.call('GET', usersKey)
redis.call('DEL', seen, usersKey)
return {tostring(repeats), users or ''}
`;

/** The scripts as ioredis commands: sent whole once per connection, then by SHA (EVALSHA). */
interface GateScripts {
  ngwDedupAdmit(stateKey: string, status: string, identity: string, windowMs: number, graceMs: number, users: number, jobId: string): Promise<string[]>;
  ngwDedupTake(seenKey: string, usersKey: string): Promise<string[]>;
}

function defineGateScripts(redis: Redis | Cluster): GateScripts {
  redis.defineCommand('ngwDedupAdmit', { numberOfKeys: 1, lua: ADMIT });
  redis.defineCommand('ngwDedupTake', { numberOfKeys: 2, lua: TAKE });
  // defineCommand adds the methods at run time; ioredis' types cannot know them.
  return redis as unknown as GateScripts;
}

/**
 * Per-issue dedup (README, "Delivery guarantees"): within `windowMs` the same dedupKey and status
 * reaches a channel once; repeats are counted for a digest. A window of 0 turns it off.
 */
export function createDedupGate(redis: Redis | Cluster, options: { prefix: string; windowMs: number }): DedupGate {
  const scripts = defineGateScripts(redis);
  // A hash tag keeps a window's keys in one Redis Cluster slot, so the script may touch them all.
  const stateKey = (channel: string, dedupKey: string) => `${options.prefix}:dedup:{${channel}\0${dedupKey}}`;
  return {
    async admit(channel, event, jobId) {
      if (options.windowMs <= 0) return { kind: 'pass', windowId: event.identity, windowEndsAt: 0, jobId };
      const reply = await scripts.ngwDedupAdmit(
        stateKey(channel, event.dedupKey), event.status, event.identity, options.windowMs, SUMMARY_GRACE_MS, event.userCount ?? 0, jobId,
      );
      const windowEndsAt = Number(reply[2] ?? '0');
      const windowId = reply[1] ?? '';
      if (reply[0] === 'pass') {
        const [, , , previousOpener = '', ownJob = '', previousOpenerJob = ''] = reply;
        return {
          kind: 'pass', windowId, windowEndsAt,
          ...(ownJob !== '' && { jobId: ownJob }),
          ...(previousOpener !== '' && { previousOpener }),
          ...(previousOpenerJob !== '' && { previousOpenerJob }),
        };
      }
      const [, , , repeats = '0', first = 'false', opener = '', openerJob = ''] = reply;
      return { kind: 'suppressed', windowId, windowEndsAt, repeats: Number(repeats), firstRepeat: first === 'true', opener, ...(openerJob !== '' && { openerJob }) };
    },
    async takeSummary(channel, dedupKey, windowId) {
      const state = stateKey(channel, dedupKey);
      const [repeats = '0', users = ''] = await scripts.ngwDedupTake(`${state}:${windowId}:seen`, `${state}:${windowId}:users`);
      return { repeats: Number(repeats), ...(users !== '' && { users: Number(users) }) };
    },
  };
}
