import type { Job } from 'bullmq';
import type { DedupGate, WindowSummary } from '../dedup/dedup-gate';
import type { DeliveryJobData, DeliveryResult } from './delivery-job';

/**
 * What a digest reports. Reading the count clears it in Redis, so the first attempt stores it in
 * the job itself: a retried digest reports the same number instead of zero.
 */
export async function digestSummary(job: Job<DeliveryJobData, DeliveryResult>, gate: DedupGate): Promise<WindowSummary> {
  if (job.data.summary) return job.data.summary;
  const window = job.data.window;
  if (!window) return { repeats: 0 };
  const summary = await gate.takeSummary(job.data.channel, job.data.event.dedupKey, window.id);
  await job.updateData({ ...job.data, summary });
  return summary;
}
