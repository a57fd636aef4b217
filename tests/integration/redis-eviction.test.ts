import { Redis } from 'ioredis';
import request from 'supertest';
import { storedJobs } from '../support/stored-jobs';
import { startHarness, type Harness } from '../support/gateway-harness';
import { createThrowawayRedis, type ThrowawayRedis } from '../support/throwaway-redis';
import { waitFor } from '../support/wait-for';
import { sampleAlertmanagerPayload } from '../../src/ingest/operator/samples';

const alert = () => sampleAlertmanagerPayload(new Date()) as object;

describe('when Redis may evict keys (maxmemory-policy other than noeviction)', () => {
  let redis: ThrowawayRedis;
  let gw: Harness | undefined;
  let admin: Redis;

  beforeEach(async () => {
    redis = await createThrowawayRedis(['--maxmemory', '3mb', '--maxmemory-policy', 'allkeys-lru']);
    admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  });
  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
    admin.disconnect();
    await redis.cleanup();
  });

  it('then /ready and ingest answer 503 redis_evicts, saying what to set, and an error line says so', async () => {
    gw = await startHarness({ role: 'api', redis: { url: redis.url } }, 'evicts');

    const ready = await request(gw.url).get('/ready').expect(503);
    expect(ready.body.reason).toMatch(/maxmemory-policy is allkeys-lru.*set maxmemory-policy noeviction/);
    const refused = await request(gw.url).post('/webhook/alertmanager').send(alert()).expect(503);
    expect(refused.body.error.code).toBe('redis_evicts');
    expect(refused.body.error.message).toMatch(/maxmemory-policy noeviction/);
    await request(gw.url).post('/test').send({}).expect(503);
    expect(gw.logs.filter((line) => /error Redis maxmemory-policy is allkeys-lru/.test(line))).toHaveLength(1);
    expect(await storedJobs(gw.config.redis.prefix, redis.url)).toEqual([]);
  });

  it('then with redis.allowEviction: true alerts are accepted, with a warning', async () => {
    gw = await startHarness({ role: 'api', redis: { url: redis.url, allowEviction: true } }, 'evicts-ok');

    await request(gw.url).get('/ready').expect(200);
    await request(gw.url).post('/webhook/alertmanager').send(alert()).expect(202);
    await gw.waitForLog(/warn {2}Redis maxmemory-policy is allkeys-lru: stored alerts may be evicted \(accepted by redis.allowEviction\)/);
  });

  it('then a policy changed at runtime is noticed by the periodic check, both ways', async () => {
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    gw = await startHarness({ role: 'all', redis: { url: redis.url, checkInterval: '100ms' } }, 'evicts-later');
    await request(gw.url).post('/webhook/alertmanager').send(alert()).expect(202);

    await admin.config('SET', 'maxmemory-policy', 'volatile-lru');
    await waitFor(async () => (await request(gw!.url).get('/ready')).status === 503, '/ready to notice the eviction policy');
    const refused = await request(gw.url).post('/webhook/alertmanager').send(alert()).expect(503);
    expect(refused.body.error.code).toBe('redis_evicts');
    await gw.waitForLog(/error Redis maxmemory-policy is volatile-lru/);

    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await waitFor(async () => (await request(gw!.url).get('/ready')).status === 200, '/ready to notice noeviction again');
    await gw.waitForLog(/info {2}Redis maxmemory-policy is noeviction now; ingest accepts alerts again/);
    await request(gw.url).post('/webhook/alertmanager').send(alert()).expect(202);
  });

  it('then a Redis that refuses CONFIG GET (a managed service) is accepted with one warning', async () => {
    await admin.acl('SETUSER', 'app', 'on', '>app-pass', '~*', '&*', '+@all', '-config');
    const url = redis.url.replace('redis://', 'redis://app:app-pass@');
    gw = await startHarness({ role: 'api', redis: { url, checkInterval: '100ms' } }, 'evicts-unknown');

    await request(gw.url).get('/ready').expect(200);
    await request(gw.url).post('/webhook/alertmanager').send(alert()).expect(202);
    await gw.waitForLog(/warn {2}cannot read Redis maxmemory-policy \(NOPERM/);
    // Later checks are refused too (Redis counts them as rejected calls), and say nothing more.
    await waitFor(async () => refusedConfigCalls(await admin.info('commandstats')) >= 3, 'three refused checks');
    expect(gw.logs.filter((line) => /cannot read Redis maxmemory-policy/.test(line))).toHaveLength(1);
  });
});

describe('when Redis is out of memory (noeviction, maxmemory reached)', () => {
  let redis: ThrowawayRedis;
  let gw: Harness;
  let admin: Redis;

  beforeEach(async () => {
    redis = await createThrowawayRedis(['--maxmemory-policy', 'noeviction']);
    admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    gw = await startHarness({ role: 'api', redis: { url: redis.url } }, 'oom');
  });
  afterEach(async () => {
    await gw.stop().catch(() => undefined);
    admin.disconnect();
    await redis.cleanup();
  });

  it('then ingest answers 503 queue_unavailable, never 202 or 500', async () => {
    // Below what Redis already uses: every write is refused, as when stored alerts filled it.
    await admin.config('SET', 'maxmemory', '1');
    await expect(admin.set('one-more', 'x')).rejects.toThrow(/^OOM/);

    const refused = await request(gw.url).post('/webhook/alertmanager').send(alert()).expect(503);
    expect(refused.body.error.code).toBe('queue_unavailable');
    expect(refused.body.error.message).toMatch(/OOM command not allowed/);
  });
});

function refusedConfigCalls(commandstats: string): number {
  return Number(/cmdstat_config\|get:.*rejected_calls=(\d+)/.exec(commandstats)?.[1] ?? /cmdstat_config:.*rejected_calls=(\d+)/.exec(commandstats)?.[1] ?? 0);
}

