import request from 'supertest';
import { storedJobs } from '../support/stored-jobs';
import { startHarness, type Harness } from '../support/gateway-harness';
import { createThrowawayRedis, type ThrowawayRedis } from '../support/throwaway-redis';
import { waitFor } from '../support/wait-for';
import { sampleAlertmanagerPayload } from '../../src/ingest/operator/samples';

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

    const jobs = await storedJobs(gw.config.redis.prefix, redis.url);
    expect(jobs.map((job) => job.id)).toEqual([stored.body.jobs[0].id]);
    await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);
  });
});
