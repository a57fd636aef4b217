import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { AlertEvent } from '../../src/normalize/event';
import { holdAlert, SETTLE_MS } from '../../src/policy/hold-alert';
import type { HoldDecision } from '../../src/policy/route-policy';
import { createSummaryStore, type SummaryStore } from '../../src/policy/summary-store';
import type { DeliveryQueue } from '../../src/queue/queues';
import { removeKeys, testRedisUrl, uniquePrefix } from '../support/test-redis';

const event = (identity: string, extra: Partial<AlertEvent> = {}): AlertEvent => ({
  source: 'sentry', status: 'firing', severity: 'warning', title: 'SlowQuery', url: 'https://sentry.example.com/organizations/acme/issues/1/',
  labels: {}, annotations: {}, occurredAt: '', dedupKey: 'sentry:1', identity, extra: {}, ...extra,
});
const T = Date.parse('2026-12-02T10:00:00Z');
/** Hourly buckets, as a `digest: 1h` route plans them. */
const hourly = (now: number): HoldDecision => {
  const start = Math.floor(now / 3600_000) * 3600_000;
  return { kind: 'digested', start, end: start + 3600_000, policyKey: 'p1', label: 'digest 1h' };
};

describe('holding alerts for a summary (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let store: SummaryStore;
  let queue: DeliveryQueue;

  beforeEach(() => {
    redis = new Redis(testRedisUrl());
    prefix = uniquePrefix('hold');
    store = createSummaryStore(redis, prefix);
    queue = new Queue('deliver.ops', { connection: redis, prefix });
  });
  afterEach(async () => {
    await queue.close();
    redis.disconnect();
    await removeKeys(prefix);
  });

  it('when alerts are held in one period, then one delayed summary job is due at its end, and the bucket counts each alert once', async () => {
    const now = T + 600_000;
    const held = await Promise.all(['a', 'b', 'a'].map((id) => holdAlert(store, queue, event(id), 'ops', hourly, now)));
    expect(held.map((h) => h?.outcome)).toEqual(['digested', 'digested', 'duplicate']);
    expect(new Set(held.map((h) => h?.summaryJob)).size).toBe(1);
    const [job] = await queue.getJobs(['delayed']);
    expect(job?.delay).toBe(3000_000 + SETTLE_MS);
    expect(job?.data.policy).toMatchObject({ kind: 'digested', from: T, to: T + 3600_000 });
    const bucket = await store.take('ops', job!.data.policy!.bucket);
    expect(bucket.total).toBe(2);
    expect(bucket.issues).toEqual([expect.objectContaining({ title: 'SlowQuery', count: 2, url: 'https://sentry.example.com/organizations/acme/issues/1/' })]);
  });

  it('when an alert arrives after its summary read the bucket, then it goes to the next period instead of nowhere', async () => {
    const first = await holdAlert(store, queue, event('a'), 'ops', hourly, T + 10);
    const [job] = await queue.getJobs(['delayed']);
    await store.take('ops', job!.data.policy!.bucket);
    // Handed on at the last instant of the period, but recorded after the summary closed it.
    const late = await holdAlert(store, queue, event('b'), 'ops', hourly, T + 3599_999);
    expect(late?.summaryJob).not.toBe(first?.summaryJob);
    const next = (await queue.getJobs(['delayed'])).find((j) => j.id === late?.summaryJob);
    expect(next?.data.policy?.to).toBe(T + 2 * 3600_000);
    expect((await store.take('ops', next!.data.policy!.bucket)).total).toBe(1);
  });
});
