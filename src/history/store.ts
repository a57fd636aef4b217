import type { Cluster, Redis } from 'ioredis';
import type { AlertEvent } from '../normalize/event';
import { eventFields, type EventFields, type OutcomeUpdate, type TimelineEntry } from './record';
import { defineHistoryScripts } from './scripts';

export interface HistoryStoreOptions {
  prefix: string;
  retentionMs: number;
  maxEvents: number;
  /** Applied to everything stored: the configured secrets never reach a record. */
  redact: (text: string) => string;
}

/** The Redis side of the history: writes and the keys the reader uses. */
export interface HistoryStore {
  readonly keys: HistoryKeys;
  /** Writes the record with every channel `pending`; false when it already existed. */
  recordEvent(id: string, event: AlertEvent, receivedAt: number, channels: readonly string[]): Promise<boolean>;
  /** False when no record has this id (off, expired, or trimmed). */
  recordOutcome(id: string, channel: string, update: OutcomeUpdate): Promise<boolean>;
  /** Drops records older than retention or beyond maxEvents; returns how many went. */
  trim(now?: number): Promise<number>;
  count(): Promise<number>;
}

export interface HistoryKeys {
  base: string;
  all: string;
  indexes: string;
  event(id: string): string;
  timeline(id: string): string;
  index(field: IndexedField, value: string): string;
}

/** Filters answered by an index of their own; the rest are checked on the records read. */
export type IndexedField = 'source' | 'status' | 'severity' | 'project' | 'environment' | 'channel' | 'outcome';

/** A timeline longer than this keeps its newest steps: 24 attempts and a few edits fit easily. */
const MAX_TIMELINE = 200;
const TRIM_BATCH = 1000;
/** Provider answers are bounded already; this bounds what one history field may hold. */
const MAX_ERROR_CHARS = 2000;

export function historyKeys(prefix: string): HistoryKeys {
  // One hash tag for every key: the scripts touch several, which a Redis Cluster allows only in one slot.
  const base = `${prefix}:{history}`;
  return {
    base,
    all: `${base}:all`,
    indexes: `${base}:indexes`,
    event: (id) => `${base}:e:${id}`,
    timeline: (id) => `${base}:t:${id}`,
    index: (field, value) => `${base}:i:${field}:${value}`,
  };
}

export function createHistoryStore(redis: Redis | Cluster, options: HistoryStoreOptions): HistoryStore {
  const scripts = defineHistoryScripts(redis);
  const keys = historyKeys(options.prefix);
  const { redact } = options;
  const json = (value: unknown) => redact(JSON.stringify(value));

  return {
    keys,
    async recordEvent(id, event, receivedAt, channels) {
      const fields: EventFields = eventFields(id, event, receivedAt);
      const at = new Date(receivedAt).toISOString();
      const indexKeys = [
        keys.index('source', event.source),
        keys.index('status', event.status),
        keys.index('severity', event.severity),
        ...(event.project ? [keys.index('project', event.project)] : []),
        ...(event.environment ? [keys.index('environment', event.environment)] : []),
        ...channels.map((channel) => keys.index('channel', channel)),
        ...(channels.length > 0 ? [keys.index('outcome', 'pending')] : []),
      ];
      const deliveries = Object.fromEntries(
        channels.map((channel) => [channel, JSON.stringify({ channel, outcome: 'pending', attempts: 0, providerMessageId: null, error: null, at, jobId: null })]),
      );
      const timeline: TimelineEntry[] = [
        { at, channel: '', outcome: 'pending', detail: `received from ${event.source}; routed to ${channels.join(', ') || 'no channel'}` },
      ];
      const written = await scripts.ngwHistoryRecordEvent(
        keys.event(id), keys.all, keys.indexes, keys.timeline(id),
        id, receivedAt, json(fields), JSON.stringify(channels), receivedAt + options.retentionMs,
        JSON.stringify(indexKeys), JSON.stringify(deliveries), JSON.stringify(timeline.map((entry) => JSON.stringify(entry))),
      );
      return written === 1;
    },
    async recordOutcome(id, channel, update) {
      const at = new Date(update.at ?? Date.now()).toISOString();
      const error = update.error === undefined ? '' : redact(update.error).slice(0, MAX_ERROR_CHARS);
      const entry: TimelineEntry = {
        at, channel, outcome: update.outcome,
        ...(update.attempts !== undefined && { attempt: update.attempts }),
        ...(update.providerMessageId !== undefined && { providerMessageId: update.providerMessageId }),
        ...(error !== '' && { error }),
        ...(update.detail !== undefined && { detail: redact(update.detail).slice(0, MAX_ERROR_CHARS) }),
      };
      const result = await scripts.ngwHistoryRecordOutcome(
        keys.event(id), keys.timeline(id), keys.indexes,
        id, channel, update.outcome, update.attempts ?? '', update.providerMessageId ?? '', error, at,
        JSON.stringify(entry), `${keys.base}:i:outcome:`, MAX_TIMELINE, options.retentionMs, update.jobId ?? '',
      );
      return result !== 0;
    },
    async trim(now = Date.now()) {
      let removed = 0;
      for (;;) {
        const batch = await scripts.ngwHistoryTrim(keys.all, keys.indexes, now - options.retentionMs, options.maxEvents, keys.base, TRIM_BATCH);
        removed += batch;
        // Old records first, then the oldest beyond maxEvents; a call that finds neither ends it.
        if (batch === 0) return removed;
      }
    },
    count: () => redis.zcard(keys.all),
  };
}
