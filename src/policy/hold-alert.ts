import type { AlertEvent } from '../normalize/event';
import type { DeliveryQueue } from '../queue/queues';
import type { HoldDecision } from './route-policy';
import type { SummaryStore } from './summary-store';
import { bucketOf, summaryEvent, summaryJobId } from './summary-job';

/** How long a bucket outlives its period, for a summary held up by a throttled or dead provider. */
const BUCKET_GRACE_MS = 7 * 86_400_000;
/** A summary is read a moment after its period ends, so an alert handed on at the last instant is in it. */
export const SETTLE_MS = 1000;

export interface HeldAlert {
  outcome: 'digested' | 'muted' | 'duplicate';
  /** The delivery job of the summary that carries the alert. */
  summaryJob: string;
}

/**
 * Records a held alert in its bucket and makes sure the bucket's summary is scheduled: a delayed
 * delivery job with a deterministic id on the channel's own queue (its pacing and retries), so a
 * restart, a second process or a config reload never schedules it twice, and no process timer is
 * involved. A bucket the summary already closed passes the alert on to the next period.
 */
export async function holdAlert(
  store: SummaryStore,
  queue: DeliveryQueue,
  event: AlertEvent,
  channel: string,
  decide: (now: number) => HoldDecision | undefined,
  now: number,
): Promise<HeldAlert | undefined> {
  for (let at = now, tries = 0; tries < 5; tries += 1) {
    const hold = decide(at);
    if (!hold) return undefined;
    const bucket = bucketOf(hold);
    const recorded = await store.record(channel, bucket, event, hold.start, hold.end - now + BUCKET_GRACE_MS);
    if (recorded === 'closed') {
      at = Math.max(at, hold.end) + 1;
      continue;
    }
    const jobId = summaryJobId(channel, bucket);
    // Added on every alert: BullMQ keeps the first and ignores the others (same id).
    await queue.add(
      'summary',
      // receivedAt is the period's end: latency and the 24 h rate-limit deadline count from when the summary is due.
      { kind: 'summary', event: summaryEvent(event, hold, bucket), channel, receivedAt: hold.end, policy: { bucket, kind: hold.kind, label: hold.label, from: hold.start, to: hold.end } },
      { jobId, delay: Math.max(0, hold.end - now) + SETTLE_MS },
    );
    return { outcome: recorded === 'again' ? 'duplicate' : hold.kind, summaryJob: jobId };
  }
  return undefined;
}
