import request from 'supertest';
import { Queue } from 'bullmq';
import { startHarness, type Harness } from '../support/gateway-harness';
import { createThrowawayRedis, type ThrowawayRedis } from '../support/throwaway-redis';
import { waitFor } from '../support/wait-for';
import { sampleAlertmanagerPayload } from '../../src/ingest/samples';

describe('when Redis goes away', () => {
  let redis: ThrowawayRedis;
  let gw: Harness;

  beforeEach(async () => {
    redis = await createThrowawayRedis();
    gw = await startHarness({ role: 'api', redis: { url: redis.url } }, 'outage');
  });
  afterEach(async () => {
    await redis.start();
    await gw.stop();
    await redis.cleanup();
  });

  it('then ingest answers 503, /ready says why, nothing is half-stored, and ingest recovers by itself', async () => {
    const stored = await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);

    await redis.stop();
    const refused = await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(503);
    expect(refused.body.error.code).toBe('queue_unavailable');
    const ready = await request(gw.url).get('/ready').expect(503);
    expect(ready.body).toEqual({ status: 'not ready', reason: expect.stringMatching(/^Redis does not answer/) });
    await gw.waitForLog(/warn {2}Redis unreachable/);

    await redis.start();
    await waitFor(async () => (await request(gw.url).get('/ready')).status === 200, '/ready to answer 200 again');
    await gw.waitForLog(/Redis connection restored/);

    const queue = new Queue('deliver.console', { connection: { url: redis.url }, prefix: gw.config.redis.prefix });
    try {
      const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
      expect(jobs.map((job) => job.id)).toEqual([stored.body.jobs[0].id]);
    } finally {
      await queue.close();
    }
    await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);
  });
});
