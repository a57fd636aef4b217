import type { AlertEvent } from '../normalize/event';
import { deliveryJobId } from './delivery-job';
import { intakeJobId, type IntakeQueue } from './intake';

export interface RoutedEvent {
  event: AlertEvent;
  channels: string[];
}
export interface EnqueuedJob {
  /** The delivery's job id (GET /deliveries/{id}); no such job appears if dedup holds the alert back. */
  id: string;
  channel: string;
}

/** Redis did not store the jobs: the sender must try again later. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

/**
 * Stores one intake job per notification and resolves only when Redis has all of them. Job ids
 * come from the content, so when a failure leaves some stored and the sender retries, nothing is
 * doubled; the intake worker fans them out to the channels.
 */
export async function enqueueEvents(
  intake: IntakeQueue,
  routed: readonly RoutedEvent[],
  receivedAt: number,
  timeoutMs = 5000,
): Promise<EnqueuedJob[]> {
  const add = intake.addBulk(
    routed.map(({ event, channels }) => ({ name: event.source, data: { event, channels, receivedAt }, opts: { jobId: intakeJobId(event) } })),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([add, timeout]);
  } catch (err) {
    throw new QueueUnavailableError((err as Error).message, { cause: err });
  } finally {
    clearTimeout(timer);
  }
  return routed.flatMap(({ event, channels }) => channels.map((channel) => ({ id: deliveryJobId(event, channel), channel })));
}
