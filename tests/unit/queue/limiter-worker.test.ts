import { LimiterWorker } from '../../../src/queue/limiter-worker';
import { testRedisUrl } from '../../support/test-redis';

type DelayAbort = Parameters<LimiterWorker<unknown, unknown>['delay']>[1];

/** Whether `promise` has settled after the fake clock moved `ms` forward. */
async function settledAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await jest.advanceTimersByTimeAsync(ms);
  return settled;
}

describe('LimiterWorker', () => {
  let worker: LimiterWorker<unknown, unknown>;
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    worker = new LimiterWorker('limiter-worker-test', null, { connection: { url: testRedisUrl(), lazyConnect: true }, autorun: false });
  });
  afterEach(async () => {
    jest.useRealTimers();
    await worker.close();
  });

  it('when the rate limit has 0 ms left to wait, then the worker waits 1 ms instead of BullMQ\'s 100 ms default', async () => {
    const abort = new AbortController() as unknown as DelayAbort;
    expect(await settledAfter(worker.delay(0, abort), 1)).toBe(true);
  });

  it('when the wait is longer, then it is waited out in full', async () => {
    const wait = worker.delay(30, new AbortController() as unknown as DelayAbort);
    expect(await settledAfter(wait, 29)).toBe(false);
    expect(await settledAfter(wait, 1)).toBe(true);
  });

  it('when it backs off after a connection error (no arguments), then it keeps BullMQ\'s 100 ms', async () => {
    const wait = worker.delay();
    expect(await settledAfter(wait, 99)).toBe(false);
    expect(await settledAfter(wait, 1)).toBe(true);
  });
});
