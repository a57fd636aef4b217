import { Worker } from 'bullmq';

/**
 * A BullMQ worker without the limiter's 100 ms slip. BullMQ 6.7 waits out its rate limit with
 * `delay(limitUntil - Date.now())`, computed a moment after it checked `limitUntil > Date.now()`;
 * when the window ends in between, the wait is 0 ms, and `delay()` turns a 0 into its 100 ms
 * default (BENCHMARKS.md, "End-to-end latency"). A 0 ms wait here becomes 1 ms. Only the limiter's
 * and the retried command's waits pass an AbortController; the back-off after a connection error
 * (no arguments) keeps its 100 ms.
 */
type DelayAbort = Parameters<Worker['delay']>[1];

export class LimiterWorker<Data, Result> extends Worker<Data, Result> {
  override delay(milliseconds?: number, abortController?: DelayAbort): Promise<void> {
    return super.delay(milliseconds === 0 && abortController ? 1 : milliseconds, abortController);
  }
}
