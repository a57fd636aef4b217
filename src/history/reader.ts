import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { AlertSource, AlertStatus, Severity } from '../normalize/event';
import type { DeliveryRecord, EventDetail, EventFields, EventRecord, HistoryOutcome, TimelineEntry } from './record';
import type { HistoryKeys, IndexedField } from './store';

export interface HistoryQuery {
  source?: AlertSource;
  status?: AlertStatus;
  severity?: Severity;
  project?: string;
  environment?: string;
  channel?: string;
  outcome?: HistoryOutcome;
  /** Text in the title or message, any case. */
  q?: string;
  /** receivedAt bounds, ms since epoch, both inclusive. */
  since?: number;
  until?: number;
  limit: number;
  cursor?: Cursor;
}

/** Where the previous page ended: newest first, so the next page is strictly older (ties by id). */
export interface Cursor {
  score: number;
  id: string;
}

export interface HistoryPage {
  events: EventRecord[];
  next: string | null;
}

export interface HistoryReader {
  list(query: HistoryQuery): Promise<HistoryPage>;
  get(id: string): Promise<EventDetail | undefined>;
}

const INDEXED: readonly IndexedField[] = ['source', 'status', 'severity', 'project', 'environment', 'channel', 'outcome'];

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.score}:${cursor.id}`).toString('base64url');
}

/** undefined for anything that is not a cursor this reader wrote. */
export function decodeCursor(text: string): Cursor | undefined {
  const match = /^(\d{1,16}):([0-9a-f]{24})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  return match ? { score: Number(match[1]), id: match[2]! } : undefined;
}

export function createHistoryReader(redis: Redis | Cluster, keys: HistoryKeys): HistoryReader {
  /**
   * The index to walk: the one filter's index, or for several the intersection Redis computes
   * (from the smallest set, so a rare value costs little), stored for this request only.
   */
  async function drivingIndex(query: HistoryQuery): Promise<{ key: string; release(): Promise<unknown> }> {
    const candidates = INDEXED.filter((field) => query[field] !== undefined).map((field) => keys.index(field, String(query[field])));
    if (candidates.length <= 1) return { key: candidates[0] ?? keys.all, release: async () => undefined };
    const key = `${keys.base}:q:${randomBytes(8).toString('hex')}`;
    // The expiry only guards against a crash between these two calls and the release.
    await redis.multi().zinterstore(key, candidates.length, ...candidates, 'AGGREGATE', 'MAX').pexpire(key, 60_000).exec();
    return { key, release: () => redis.del(key) };
  }

  /** Ids newest first from `key`, after the cursor, in batches; ties in score continue by offset. */
  async function* idsFrom(key: string, query: HistoryQuery, batch: number): AsyncGenerator<Cursor> {
    let max = query.cursor?.score ?? query.until ?? Number.POSITIVE_INFINITY;
    if (query.until !== undefined) max = Math.min(max, query.until);
    const min = query.since ?? Number.NEGATIVE_INFINITY;
    let offset = 0;
    for (;;) {
      const reply = await redis.zrange(key, bound(max), bound(min), 'BYSCORE', 'REV', 'LIMIT', offset, batch, 'WITHSCORES');
      if (reply.length === 0) return;
      let lastScore = max;
      let ties = 0;
      for (let i = 0; i < reply.length; i += 2) {
        const id = reply[i]!;
        const score = Number(reply[i + 1]);
        if (score === lastScore) ties += 1;
        else [lastScore, ties] = [score, 1];
        // Same score as the cursor: the ids before it (descending) were on the previous page.
        if (query.cursor && score === query.cursor.score && id >= query.cursor.id) continue;
        yield { score, id };
      }
      // Continue below the last score seen, skipping the entries already read at that score.
      offset = lastScore === max ? offset + ties : ties;
      max = lastScore;
      if (reply.length < batch * 2) return;
    }
  }

  async function read(ids: readonly string[]): Promise<Array<EventRecord | undefined>> {
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(keys.event(id));
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([err, hash]) => (err ? undefined : parseRecord(hash as Record<string, string>)));
  }

  return {
    async list(query) {
      const driving = await drivingIndex(query);
      const { key } = driving;
      const wanted = query.limit + 1;
      const batch = Math.min(1000, Math.max(100, wanted * 2));
      const found: Array<{ record: EventRecord; cursor: Cursor }> = [];
      let pending: Cursor[] = [];
      const flush = async () => {
        const records = await read(pending.map(({ id }) => id));
        records.forEach((record, i) => {
          if (record && found.length < wanted && matches(record, query)) found.push({ record, cursor: pending[i]! });
        });
        pending = [];
      };
      try {
        for await (const cursor of idsFrom(key, query, batch)) {
          pending.push(cursor);
          if (pending.length >= batch) await flush();
          if (found.length >= wanted) break;
        }
        if (found.length < wanted && pending.length > 0) await flush();
      } finally {
        await driving.release();
      }
      const page = found.slice(0, query.limit);
      const last = page[page.length - 1];
      return { events: page.map(({ record }) => record), next: found.length > query.limit && last ? encodeCursor(last.cursor) : null };
    },
    async get(id) {
      const [hash, timeline] = await Promise.all([redis.hgetall(keys.event(id)), redis.lrange(keys.timeline(id), 0, -1)]);
      const record = parseRecord(hash);
      if (!record) return undefined;
      return { ...record, timeline: timeline.map((entry) => JSON.parse(entry) as TimelineEntry) };
    },
  };
}

function bound(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}

function parseRecord(hash: Record<string, string> | undefined): EventRecord | undefined {
  if (!hash || hash.f === undefined) return undefined;
  const fields = JSON.parse(hash.f) as EventFields;
  const channels = JSON.parse(hash.c ?? '[]') as string[];
  const deliveries = channels.flatMap((channel) => {
    const raw = hash[`d:${channel}`];
    return raw ? [normalizeDelivery(JSON.parse(raw) as DeliveryRecord)] : [];
  });
  return { ...fields, deliveries };
}

/** Lua's cjson writes an empty value as {} and keys in any order: give every delivery one shape. */
function normalizeDelivery(raw: DeliveryRecord): DeliveryRecord {
  return {
    channel: raw.channel,
    outcome: raw.outcome,
    attempts: raw.attempts ?? 0,
    providerMessageId: typeof raw.providerMessageId === 'string' ? raw.providerMessageId : null,
    error: typeof raw.error === 'string' ? raw.error : null,
    at: raw.at,
    jobId: typeof raw.jobId === 'string' ? raw.jobId : null,
  };
}

function matches(record: EventRecord, query: HistoryQuery): boolean {
  if (query.source && record.source !== query.source) return false;
  if (query.status && record.status !== query.status) return false;
  if (query.severity && record.severity !== query.severity) return false;
  if (query.project !== undefined && record.project !== query.project) return false;
  if (query.environment !== undefined && record.environment !== query.environment) return false;
  if (query.channel !== undefined && !record.deliveries.some((d) => d.channel === query.channel)) return false;
  // With a channel too, that channel's delivery must have the outcome.
  if (query.outcome && !record.deliveries.some((d) => d.outcome === query.outcome && (query.channel === undefined || d.channel === query.channel))) return false;
  if (query.q !== undefined) {
    const q = query.q.toLowerCase();
    if (!record.title.toLowerCase().includes(q) && !(record.message ?? '').toLowerCase().includes(q)) return false;
  }
  return true;
}
