import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { AlertEvent } from '../../src/normalize/event';
import type { DeliveryJobData, DeliveryResult } from '../../src/queue/delivery-job';
import { holdBehindPredecessor } from '../../src/queue/issue-order';
import type { DeliveryQueue } from '../../src/queue/queues';
import { removeKeys, testRedisUrl, uniquePrefix } from '../support/test-redis';
import { waitFor } from '../support/wait-for';

const MINUTE = 60_000;

function data(status: AlertEvent['status'], after?: string): DeliveryJobData {
  const event: AlertEvent = {
    source: 'alertmanager', status, severity: 'critical', title: 'HighRequestLatency', labels: {}, annotations: {},
    occurredAt: '2026-11-22T10:00:00.000Z', dedupKey: 'alertmanager:b438e4678cd6acaf', identity: `b438:${status}`, extra: {},
  };
  return { event, channel: 'ops', receivedAt: Date.now(), ...(after && { after }) };
}

/**
 * Real Redis and BullMQ: a "resolved" job whose "firing" predecessor waits in the delayed set must
 * be put back until that one is due, read through BullMQ's public job fields. If that reading
 * broke (an upgrade changing what the fields or the delayed set hold), the resolved message would
 * come back long before its firing one, or be parked for far too long.
 */
describe('issue order: a message waits for the delayed one before it (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let queue: DeliveryQueue;
  let worker: Worker<DeliveryJobData, DeliveryResult> | undefined;
  const sent: string[] = [];

  beforeEach(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    prefix = uniquePrefix('order');
    queue = new Queue('deliver.ops', { connection: redis, prefix });
    sent.length = 0;
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await queue.close();
    redis.disconnect();
    await removeKeys(prefix);
  });

  /** "Sends" a job: the firing one fails its first attempt when asked to, so it waits for a retry. */
  const startWorker = (failFiringOnce: boolean) => {
    worker = new Worker<DeliveryJobData, DeliveryResult>('deliver.ops', async (job, token) => {
      await holdBehindPredecessor(job, queue, token);
      if (failFiringOnce && job.data.event.status === 'firing' && job.attemptsMade === 0) throw new Error('provider 502');
      sent.push(job.data.event.status);
      return { ms: 0 };
    }, { connection: redis, prefix });
  };

  /** When the job is due: its delay counted from its last attempt, or from when it was added. */
  const dueOf = async (id: string) => {
    const job = await queue.getJob(id);
    return (job!.processedOn ?? job!.timestamp) + job!.delay;
  };

  const resolvedParkedBehind = async (firingId: string) => {
    const resolved = await queue.add('alertmanager', data('resolved', firingId));
    await waitFor(async () => (await queue.getJobState(resolved.id!)) === 'delayed' || undefined, 'the resolved job to be put back');
    return dueOf(resolved.id!);
  };

  it('when the firing message was added with a delay, then the resolved one comes back just after it is due, not before', async () => {
    const firing = await queue.add('alertmanager', data('firing'), { delay: MINUTE });
    startWorker(false);
    const firingDue = await dueOf(firing.id!);
    const resolvedDue = await resolvedParkedBehind(firing.id!);
    expect(resolvedDue).toBeGreaterThanOrEqual(firingDue);
    expect(resolvedDue).toBeLessThan(firingDue + MINUTE / 6);
    expect(sent).toEqual([]);
  });

  it('when the firing message waits for a retry, then the resolved one waits for that retry', async () => {
    const firing = await queue.add('alertmanager', data('firing'), { attempts: 2, backoff: { type: 'fixed', delay: MINUTE } });
    startWorker(true);
    await waitFor(async () => (await queue.getJob(firing.id!))?.attemptsMade === 1 || undefined, 'the failed first attempt');
    const firingDue = await dueOf(firing.id!);
    const resolvedDue = await resolvedParkedBehind(firing.id!);
    expect(resolvedDue).toBeGreaterThanOrEqual(firingDue);
    expect(resolvedDue).toBeLessThan(firingDue + MINUTE / 6);
    expect(sent).toEqual([]);
  });
});
