import type { AlertEvent } from '../normalize/event';
import { deliveryJobId, type DeliveryJobData } from './delivery-job';
import type { DeliveryQueue } from './queues';

export interface Delivery {
  event: AlertEvent;
  channel: string;
}
export interface EnqueuedJob {
  id: string;
  channel: string;
}

/** Redis did not store the jobs: the sender must try again later. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

/**
 * Stores one job per delivery and resolves only when Redis has all of them. Job ids come from
 * the content, so when a failure leaves some stored and the sender retries, nothing is doubled.
 */
export async function enqueueDeliveries(
  queues: ReadonlyMap<string, DeliveryQueue>,
  deliveries: readonly Delivery[],
  receivedAt: number,
  timeoutMs = 5000,
): Promise<EnqueuedJob[]> {
  const byChannel = new Map<string, DeliveryJobData[]>();
  for (const { event, channel } of deliveries) {
    const list = byChannel.get(channel) ?? [];
    list.push({ event, channel, receivedAt });
    byChannel.set(channel, list);
  }
  const adds = [...byChannel].map(([channel, jobs]) => {
    const queue = queues.get(channel);
    if (!queue) throw new Error(`no queue for channel "${channel}"`);
    return queue.addBulk(jobs.map((data) => ({ name: data.event.source, data, opts: { jobId: deliveryJobId(data.event, channel) } })));
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const stored = (await Promise.race([Promise.all(adds), timeout])).flat();
    return stored.map((job) => ({ id: String(job.id), channel: job.data.channel }));
  } catch (err) {
    throw new QueueUnavailableError((err as Error).message, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
