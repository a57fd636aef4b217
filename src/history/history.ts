import type { Cluster, Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { AlertEvent } from '../normalize/event';
import { createErrorEpisodes } from '../observability/error-episodes';
import type { Logger } from '../observability/logger';
import type { HistoryConfig } from './config';
import { createHistoryMetrics } from './history-metrics';
import type { OutcomeUpdate } from './record';
import { createHistoryReader, type HistoryReader } from './reader';
import { createHistoryStore, type HistoryStore } from './store';

/**
 * What the pipeline stages call to record an alert's fate. Writes never throw: a history that
 * cannot be written (Redis trouble) is counted and logged once per episode, and the alert is
 * delivered all the same.
 */
export interface HistoryRecorder {
  readonly enabled: boolean;
  recordEvent(id: string, event: AlertEvent, receivedAt: number, channels: readonly string[]): Promise<void>;
  /**
   * One channel's outcome for an event: any of the eight (README, "History and the web page").
   * Message lifecycle calls it with `edited`, digests with `digested`, quiet hours with `muted`.
   */
  recordOutcome(eventId: string, channel: string, update: OutcomeUpdate): Promise<void>;
}

export interface History extends HistoryRecorder {
  readonly reader: HistoryReader;
  readonly store: HistoryStore;
  /** Runs the retention trim now and every `intervalMs`; returns the stop function. */
  startTrimming(intervalMs: number): () => void;
}

export interface HistoryOptions {
  config: HistoryConfig;
  prefix: string;
  /** Writes and the trim: the worker connection (blocking is fine there, ingest never waits on it). */
  redis: Redis | Cluster;
  /** Reads for the API: the producer connection (fails fast while Redis is away). */
  readRedis: Redis | Cluster;
  redact: (text: string) => string;
  registry: Registry;
  logger: Logger;
}

export function createHistory(options: HistoryOptions): History {
  const { config } = options;
  const store = createHistoryStore(options.redis, { prefix: options.prefix, retentionMs: config.retentionMs, maxEvents: config.maxEvents, redact: options.redact });
  const reader = createHistoryReader(options.readRedis, store.keys);
  const metrics = createHistoryMetrics(options.registry, () => store.count());
  const errors = createErrorEpisodes('history', options.logger.child({ component: 'history' }));
  const failed = (kind: 'event' | 'outcome' | 'trim') => (err: unknown) => {
    metrics.writeFailed(kind);
    errors.report(err as Error);
  };

  return {
    enabled: config.enabled,
    reader,
    store,
    async recordEvent(id, event, receivedAt, channels) {
      if (!config.enabled) return;
      await store.recordEvent(id, event, receivedAt, channels).then((written) => written && metrics.written('event'), failed('event'));
    },
    async recordOutcome(eventId, channel, update) {
      if (!config.enabled) return;
      await store.recordOutcome(eventId, channel, update).then((written) => written && metrics.written('outcome'), failed('outcome'));
    },
    startTrimming(intervalMs) {
      if (!config.enabled) return () => undefined;
      const run = () => {
        errors.tick();
        void store.trim().catch(failed('trim'));
      };
      run();
      const timer = setInterval(run, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
