import { Redis } from 'ioredis';
import { createHistoryStore, type HistoryStore } from '../../src/history/store';
import type { AlertEvent } from '../../src/normalize/event';
import { testRedisUrl } from './test-redis';

/** A realistic normalized alert; `overrides` pick what a test filters on. */
export function alertEvent(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    source: 'alertmanager',
    status: 'firing',
    severity: 'warning',
    title: 'HighLatency: p99 above 2s',
    message: 'checkout latency p99 is 2.4s on api-1',
    project: 'shop',
    environment: 'production',
    labels: { alertname: 'HighLatency', instance: 'api-1' },
    annotations: {},
    occurredAt: '2026-11-22T10:00:00.000Z',
    dedupKey: 'alertmanager:abc',
    identity: `identity-${Math.random()}`,
    extra: {},
    ...overrides,
  };
}

/** A store on its own connection, writing where a gateway with `prefix` reads. */
export function seedStore(prefix: string, options: { retentionMs?: number; maxEvents?: number; secrets?: string[] } = {}): { store: HistoryStore; close(): void } {
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  const secrets = options.secrets ?? [];
  const store = createHistoryStore(redis, {
    prefix,
    retentionMs: options.retentionMs ?? 7 * 24 * 3600_000,
    maxEvents: options.maxEvents ?? 100_000,
    redact: (text) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text),
  });
  return { store, close: () => redis.disconnect() };
}

/** A 24-hex id like the gateway's, numbered so a test can tell them apart. */
export function idFor(n: number): string {
  return n.toString(16).padStart(24, '0');
}
