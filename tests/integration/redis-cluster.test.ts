import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import request from 'supertest';
import { alertGroup } from '../support/alert-burst';
import { startHarness, type Harness } from '../support/gateway-harness';
import { createRedisCluster, type RedisCluster } from '../support/redis-cluster';
import { waitFor } from '../support/wait-for';
import { deliveryCounts, streamWebhooks } from '../support/webhook-stream';

const NAME = /Clu\d+/g;

/** The names of the alerts the console channel printed, once per message. */
const printedNames = (gw: Harness) => gw.printed.flatMap((text) => [...new Set(text.match(NAME) ?? [])]);

describe('when Redis is a 3-primary Cluster', () => {
  let cluster: RedisCluster;
  let gw: Harness | undefined;

  beforeAll(async () => {
    cluster = await createRedisCluster(3);
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
    await cluster.cleanup();
  });

  it('then alerts are delivered through it, and a killed primary costs 503s while it is down but no acknowledged alert', async () => {
    gw = await startHarness({ redis: { cluster: cluster.nodes }, delivery: { attempts: 20, backoff: '200ms', timeout: '2s', stalledInterval: '2s' } }, 'cluster');
    // Every key of the gateway in one slot (BullMQ's rule), so every script and MULTI works.
    expect(gw.config.redis.prefix).toMatch(/^\{ngwtest-cluster-[0-9a-f]+\}$/);
    await waitFor(async () => (await request(gw!.url).get('/ready')).status === 200, '/ready through the cluster');

    const stream = streamWebhooks(gw.url, 'Clu');
    await waitFor(() => printedNames(gw!).length >= 5, 'first deliveries through the cluster');

    const primary = await cluster.primaryFor(`${gw.config.redis.prefix}:intake`);
    await cluster.kill(primary);
    const acceptedBefore = stream.accepted.length;
    await waitFor(() => stream.refused.length > 0, 'a 503 while the primary is down', 20_000);
    await cluster.restart(primary);
    // Self-recovery: nothing restarts the gateway.
    await waitFor(() => stream.accepted.length >= acceptedBefore + 10, 'webhooks accepted again after the restart', 30_000);
    await stream.stop();

    await waitFor(() => stream.accepted.every((name) => printedNames(gw!).includes(name)), 'every acknowledged alert delivered', 30_000);
    const counts = deliveryCounts(printedNames(gw));
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    console.log(`cluster: ${stream.accepted.length} accepted, ${stream.refused.length} refused (${[...new Set(stream.refused)].join(', ')}), ${duplicates} delivered twice`);
    expect(new Set(stream.refused)).toEqual(new Set(['503 queue_unavailable']));
    expect(stream.accepted.filter((name) => !counts.has(name))).toEqual([]);
  }, 120_000);
});

describe('when Redis is a Cluster, the gateway\'s own scripts and checks', () => {
  let cluster: RedisCluster;
  let gw: Harness;

  beforeAll(async () => {
    cluster = await createRedisCluster(3);
    gw = await startHarness({ redis: { cluster: cluster.nodes, checkInterval: '200ms' } }, 'cluster-evict');
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
    await cluster?.cleanup();
  });

  it('then per-issue dedup (a Lua script over keys it derives) works: repeats of one Sentry issue are suppressed, not refused', async () => {
    const event = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'sentry-event-alert.json'), 'utf8')) as { data: { event: { event_id: string } } };
    for (const n of [1, 2, 3]) {
      event.data.event.event_id = `${n.toString(16).padStart(8, '0')}${'0'.repeat(24)}`;
      await request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'event_alert').send(event).expect(202);
    }
    await waitFor(() => gw.logs.filter((line) => / -> console suppressed /.test(line)).length === 2, 'two suppressed repeats');
    expect(gw.logs.filter((line) => / -> console sent /.test(line))).toHaveLength(1);
    expect(gw.logs.filter((line) => /^\S+ (?:error|warn) |CROSSSLOT/.test(line))).toEqual([]);
  }, 30_000);

  it('then /ready and ingest answer 503 naming an evicting primary, even when it is not the one holding the queues', async () => {
    const queues = await cluster.primaryFor(`${gw.config.redis.prefix}:intake`);
    const other = cluster.nodes.find((node) => node.port !== queues)!;
    const admin = new Redis(other.port, other.host);
    try {
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const ready = await waitFor(async () => {
        const res = await request(gw.url).get('/ready');
        return res.status === 503 && res.body;
      }, '/ready to see the evicting primary');
      expect(ready.reason).toContain(`allkeys-lru on ${other.host}:${other.port}`);
      const refused = await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['Evicting'])).expect(503);
      expect(refused.body.error.code).toBe('redis_evicts');
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      admin.disconnect();
    }
  }, 60_000);

  it('then a primary out of memory (noeviction refusing writes) makes ingest answer 503 queue_unavailable, never 500 or 202', async () => {
    const queues = await cluster.primaryFor(`${gw.config.redis.prefix}:intake`);
    await waitFor(async () => (await request(gw.url).get('/ready')).status === 200, '/ready once every primary is noeviction');
    const admin = new Redis(queues, '127.0.0.1');
    try {
      // Below what Redis already uses: every write is refused with OOM.
      await admin.config('SET', 'maxmemory', '1');
      const refused = await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['OutOfMemory'])).expect(503);
      expect(refused.body.error).toEqual({ code: 'queue_unavailable', message: expect.stringMatching(/OOM/) });
    } finally {
      await admin.config('SET', 'maxmemory', '0');
      admin.disconnect();
    }
  }, 60_000);
});
