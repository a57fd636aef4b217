import type { AlertEvent } from '../normalize/event';
import { editJobId } from '../queue/delivery-job';
import type { DeliveryQueue } from '../queue/queues';
import type { LifecyclePolicy } from './config';
import type { LifecycleStore } from './lifecycle-store';

export interface SuppressedRepeat {
  event: AlertEvent;
  channel: string;
  receivedAt: number;
  /** Delivery job of the window's first message: the edit waits for it, and counts its incident. */
  openerJob: string;
  /** The repeat's history record: the edit it schedules is recorded there as `edited`. */
  eventId?: string;
}

/**
 * A repeat inside the dedup window, on a channel that edits: counted on the living message, and
 * one edit job per editInterval slot (its id names the slot, so later repeats in the slot add
 * nothing). It runs when the slot ends, through the channel's queue and limiter like any send,
 * and reads the count then, so it shows every repeat of the slot. This replaces the digest.
 */
export async function scheduleRepeatEdit(queue: DeliveryQueue, store: LifecycleStore, policy: LifecyclePolicy, repeat: SuppressedRepeat, now = Date.now()): Promise<void> {
  const { event, channel, openerJob } = repeat;
  // An assignment inside the window is no new occurrence: it only changes what the edit shows.
  if (event.extra.issueAction === 'assigned') await store.update(channel, event.dedupKey, assigneeOf(event));
  else await store.noteOccurrence(channel, event.dedupKey, openerJob, event.identity, now);
  await addSlotEdit(queue, policy, repeat, now);
}

/**
 * An assignment Sentry sends although notifyOn leaves `assigned` out (`extra.lifecycleOnly`): it
 * never opens a dedup window (it would hold back the issue's real alert) and never posts; where
 * the channel edits and the issue has a living message, it becomes that message's next edit.
 * Returns why nothing was scheduled, or undefined.
 */
export async function scheduleAssignmentEdit(
  queue: DeliveryQueue, store: LifecycleStore, policy: LifecyclePolicy | undefined, event: AlertEvent, channel: string, receivedAt: number, now = Date.now(),
): Promise<string | undefined> {
  if (!policy?.edit) return 'assigned: no message to edit on this channel (add assigned to sentry.notifyOn.issue to post it)';
  const state = await store.get(channel, event.dedupKey);
  if (!state?.messageId || state.status !== 'firing') return 'assigned: no message to edit on this channel (add assigned to sentry.notifyOn.issue to post it)';
  await store.update(channel, event.dedupKey, assigneeOf(event));
  await addSlotEdit(queue, policy, { event, channel, receivedAt, openerJob: state.sentBy }, now);
  return undefined;
}

/** The slot's one edit job: its id names the living message's opener and the editInterval slot. */
async function addSlotEdit(queue: DeliveryQueue, policy: LifecyclePolicy, repeat: SuppressedRepeat, now: number): Promise<void> {
  const { event, channel, receivedAt, openerJob, eventId } = repeat;
  const slot = Math.floor(now / policy.editIntervalMs);
  const jobId = editJobId(channel, event.dedupKey, openerJob, slot);
  const data = { kind: 'edit' as const, event, channel, receivedAt, after: openerJob, ...(eventId && { eventId }) };
  // Still waiting for its slot's end: it shows the latest repeat (a Sentry event count, a new severity) instead of the first.
  const waiting = await queue.getJob(jobId);
  if (waiting && (await waiting.isDelayed())) return void (await waiting.updateData(data));
  await queue.add('edit', data, { jobId, delay: Math.max(0, (slot + 1) * policy.editIntervalMs - now) });
}

function assigneeOf(event: AlertEvent): { assignee?: string } {
  return typeof event.extra.assignee === 'string' ? { assignee: event.extra.assignee } : {};
}
