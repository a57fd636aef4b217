import { Redis } from 'ioredis';
import request from 'supertest';
import { alertGroup } from '../support/alert-burst';
import { startHarness, type Harness } from '../support/gateway-harness';
import { createRedisSentinelGroup, SENTINEL_MASTER_NAME, type RedisSentinelGroup } from '../support/redis-sentinel';
import { waitFor } from '../support/wait-for';
import { deliveryCounts, streamWebhooks } from '../support/webhook-stream';

const NAME = /Sen\d+/g;

/** The names of the alerts the console channel printed, once per message. */
const printedNames = (gw: Harness) => gw.printed.flatMap((text) => [...new Set(text.match(NAME) ?? [])]);

describe('when Redis is a Sentinel group (1 primary, 1 replica, 3 sentinels)', () => {
  let group: RedisSentinelGroup;
  let gw: Harness | undefined;

  beforeAll(async () => {
    group = await createRedisSentinelGroup();
    await group.settled();
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
    await group.cleanup();
  });

  it('then a SENTINEL FAILOVER during a stream of webhooks loses no acknowledged alert, and a killed primary means 503s until the replica takes over', async () => {
    gw = await startHarness(
      { redis: { sentinels: group.sentinels, name: SENTINEL_MASTER_NAME, checkInterval: '500ms' }, delivery: { attempts: 20, backoff: '200ms', timeout: '2s', stalledInterval: '2s' } },
      'sentinel',
    );
    await waitFor(async () => (await request(gw!.url).get('/ready')).status === 200, '/ready through the sentinels');
    const stream = streamWebhooks(gw.url, 'Sen');
    await waitFor(() => printedNames(gw!).length >= 5, 'first deliveries through the primary');

    // A planned failover: the sentinels promote the replica while webhooks keep coming.
    const first = await group.primary();
    await group.failover();
    const second = await group.promotedOtherThan(first);
    const acceptedAtSwitch = stream.accepted.length;
    await waitFor(() => stream.accepted.length >= acceptedAtSwitch + 10, 'webhooks accepted by the new primary', 30_000);
    const refusedByFailover = stream.refused.length;

    // An unplanned one: the primary dies; until the sentinels promote the replica there is no primary.
    await group.settled();
    await group.kill(second);
    await waitFor(() => stream.refused.length > refusedByFailover, 'a 503 while there is no primary', 20_000);
    await group.promotedOtherThan(second);
    // Ingest waits for a replica to hold each webhook (redis.waitReplicas, 1 with sentinels): the
    // dead node, back, becomes the replica, and the gateway accepts again by itself.
    await group.start(second);
    const acceptedAtPromotion = stream.accepted.length;
    await waitFor(() => stream.accepted.length >= acceptedAtPromotion + 10, 'webhooks accepted again (self-recovery)', 30_000);
    await stream.stop();

    await waitFor(() => stream.accepted.every((name) => printedNames(gw!).includes(name)), 'every acknowledged alert delivered', 30_000);
    const counts = deliveryCounts(printedNames(gw));
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    console.log(`sentinel: ${stream.accepted.length} accepted, ${stream.refused.length} refused (${refusedByFailover} during SENTINEL FAILOVER), ${duplicates} delivered twice`);
    expect(new Set(stream.refused)).toEqual(new Set(['503 queue_unavailable']));
    expect(stream.accepted.filter((name) => !counts.has(name))).toEqual([]);
  }, 150_000);

  it('then the eviction check follows the failover: a new primary that may evict makes /ready and ingest answer 503', async () => {
    await group.settled();
    const before = await group.primary();
    const replica = group.ports.find((port) => port !== before)!;
    const evicting = await startHarness({ redis: { sentinels: group.sentinels, name: SENTINEL_MASTER_NAME, checkInterval: '200ms' } }, 'sentinel-evict');
    const admin = new Redis(replica, '127.0.0.1');
    try {
      await waitFor(async () => (await request(evicting.url).get('/ready')).status === 200, '/ready while the primary is noeviction');
      // Only the replica evicts, so nothing is wrong yet; after the failover it is the primary.
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      await group.failover();
      await group.promotedOtherThan(before);
      const ready = await waitFor(async () => {
        const res = await request(evicting.url).get('/ready');
        return res.status === 503 && /maxmemory-policy is allkeys-lru/.test(String(res.body.reason)) && res.body;
      }, '/ready to name the new primary\'s policy', 20_000);
      expect(ready.reason).toMatch(/set maxmemory-policy noeviction/);
      const refused = await request(evicting.url).post('/webhook/alertmanager').send(alertGroup(['SenEvicting'])).expect(503);
      expect(refused.body.error.code).toBe('redis_evicts');
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      admin.disconnect();
      await evicting.stop();
    }
  }, 90_000);
});
