import type { AlertEvent } from '../normalize/event';
import { editJobId } from '../queue/delivery-job';
import type { DeliveryQueue } from '../queue/queues';
import type { LifecyclePolicy } from './config';
import type { LifecycleStore } from './lifecycle-store';

export interface SuppressedRepeat {
  event: AlertEvent;
  channel: string;
  receivedAt: number;
  windowId: string;
  /** Delivery job of the window's first message: the edit waits for it, and counts its incident. */
  openerJob: string;
}

/**
 * A repeat inside the dedup window, on a channel that edits: counted on the living message, and
 * one edit job per editInterval slot (its id names the slot, so later repeats in the slot add
 * nothing). It runs when the slot ends, through the channel's queue and limiter like any send,
 * and reads the count then, so it shows every repeat of the slot. This replaces the digest.
 */
export async function scheduleRepeatEdit(queue: DeliveryQueue, store: LifecycleStore, policy: LifecyclePolicy, repeat: SuppressedRepeat, now = Date.now()): Promise<void> {
  const { event, channel, receivedAt, windowId, openerJob } = repeat;
  // An assignment inside the window is no new occurrence: it only changes what the edit shows.
  if (event.extra.issueAction === 'assigned') await store.update(channel, event.dedupKey, typeof event.extra.assignee === 'string' ? { assignee: event.extra.assignee } : {});
  else await store.noteOccurrence(channel, event.dedupKey, openerJob, event.identity, now);
  const slot = Math.floor(now / policy.editIntervalMs);
  await queue.add(
    'edit',
    { kind: 'edit', event, channel, receivedAt, after: openerJob },
    { jobId: editJobId(channel, event.dedupKey, windowId, slot), delay: Math.max(0, (slot + 1) * policy.editIntervalMs - now) },
  );
}
