import request from 'supertest';
import { startHarness, type Harness } from '../support/gateway-harness';
import { createThrowawayRedis, type ThrowawayRedis } from '../support/throwaway-redis';
import { waitFor } from '../support/wait-for';

describe('when Redis stays away while workers run', () => {
  let redis: ThrowawayRedis;
  let gw: Harness;

  beforeEach(async () => {
    redis = await createThrowawayRedis();
    gw = await startHarness({ role: 'all', redis: { url: redis.url, checkInterval: '200ms' } }, 'episodes');
  });
  afterEach(async () => {
    await redis.start();
    await gw.stop();
    await redis.cleanup();
  });

  it('then the queue errors are one warn line for the whole episode, and one line when they stop', async () => {
    await redis.stop();
    // Workers and queues keep failing on every reconnect attempt; the repeats go to debug.
    await waitFor(() => gw.logs.filter((line) => /debug queue error again/.test(line)).length >= 3, 'repeated queue errors');

    expect(gw.logs.filter((line) => /^\S+ warn {2}queue error: .*repeats are logged at debug/.test(line))).toHaveLength(1);
    expect(gw.logs.filter((line) => /warn {2}Redis unreachable/.test(line))).toHaveLength(1);

    await redis.start();
    await gw.waitForLog(/info {2}Redis connection restored/);
    await gw.waitForLog(/info {2}queue errors stopped \(\d+ in this episode\)/);
    await waitFor(async () => (await request(gw.url).get('/ready')).status === 200, '/ready to answer 200 again');
  });
});
