import type { Job } from 'bullmq';
import type { DeliveryJobData, DeliveryResult } from '../queue/delivery-job';
import type { SummaryFacts } from './summary-facts';
import type { SummaryStore } from './summary-store';
import { buildSummary } from './build-summary';

/**
 * The facts of a summary job: read from its bucket at the first attempt (which closes the
 * bucket) and kept in the job, so a retry sends the same summary. Undefined for a job that is no
 * summary; a summary of nothing has total 0 and is not sent.
 */
export async function summaryFacts(job: Job<DeliveryJobData, DeliveryResult>, store: SummaryStore): Promise<SummaryFacts | undefined> {
  const policy = job.data.policy;
  if (!policy) return undefined;
  if (policy.facts) return policy.facts;
  const facts = buildSummary(await store.take(job.data.channel, policy.bucket), policy);
  await job.updateData({ ...job.data, policy: { ...policy, facts } });
  return facts;
}
