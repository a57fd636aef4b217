import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { queueNameFor } from '../src/queue/delivery-job';
import { INTAKE_QUEUE } from '../src/intake/intake-queue';

/** Job states in which work is still to come (a delayed job is a digest waiting for its window, or a retry). */
const PENDING = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;
const POLL_MS = 1000;
const REPORT_EVERY_MS = 10_000;

export interface QueueWatch {
  /**
   * Polls until the intake and every delivery queue hold no pending job (twice in a row), or the
   * time is up; reports pending counts per channel (and "intake") every 10 s. True when drained.
   */
  waitDrained(timeoutMs: number, report: (pending: ReadonlyMap<string, number>) => void): Promise<boolean>;
  failedCounts(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

/** Reads the gateway's queues from outside, on a connection of its own. */
export function createQueueWatch(url: string, prefix: string, channels: readonly string[]): QueueWatch {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queues = new Map<string, Queue>([
    ['intake', new Queue(INTAKE_QUEUE, { connection, prefix })],
    ...channels.map((channel): [string, Queue] => [channel, new Queue(queueNameFor(channel), { connection, prefix })]),
  ]);

  const pending = async () => {
    const counts = new Map<string, number>();
    for (const [name, queue] of queues) {
      const byState = await queue.getJobCounts(...PENDING);
      counts.set(name, Object.values(byState).reduce((sum, n) => sum + n, 0));
    }
    return counts;
  };

  return {
    async waitDrained(timeoutMs, report) {
      const deadline = Date.now() + timeoutMs;
      let lastReport = 0;
      let emptyPolls = 0;
      while (Date.now() < deadline) {
        const counts = await pending();
        if (Date.now() - lastReport >= REPORT_EVERY_MS) {
          report(counts);
          lastReport = Date.now();
        }
        emptyPolls = [...counts.values()].every((n) => n === 0) ? emptyPolls + 1 : 0;
        if (emptyPolls >= 2) {
          report(counts);
          return true;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      return false;
    },
    async failedCounts() {
      const counts = new Map<string, number>();
      for (const channel of channels) counts.set(channel, await queues.get(channel)!.getFailedCount());
      return counts;
    },
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      connection.disconnect();
    },
  };
}
