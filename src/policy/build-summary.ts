import { SEVERITIES, type AlertStatus, type Severity } from '../normalize/event';
import type { SummaryFacts } from './summary-facts';
import type { SummaryJobFields } from './summary-job';
import type { StoredBucket } from './summary-store';

/** Issues a summary lists by name; the rest are "N more". Ten fit every provider's size limit. */
export const TOP_ISSUES = 10;

/** What a closed bucket becomes in a message: totals, the top issues by count (ties: most severe first), the rest counted. */
export function buildSummary(bucket: StoredBucket, job: Pick<SummaryJobFields, 'kind' | 'from' | 'to'>): SummaryFacts {
  const count = (key: string) => bucket.counts[key] ?? 0;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, count(`severity:${s}`)])) as Record<Severity, number>;
  const byStatus: Record<AlertStatus, number> = { firing: count('status:firing'), resolved: count('status:resolved') };
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  const issues = [...bucket.issues].sort((a, b) => b.count - a.count || rank(a.severity) - rank(b.severity) || a.title.localeCompare(b.title));
  return {
    kind: job.kind,
    from: Math.min(bucket.from ?? job.from, job.from),
    to: job.to,
    total: bucket.total,
    bySeverity,
    byStatus,
    issueCount: issues.length,
    stillFiring: issues.filter((issue) => issue.status === 'firing').length,
    resolved: issues.filter((issue) => issue.status === 'resolved').length,
    issues: issues.slice(0, TOP_ISSUES),
    more: Math.max(0, issues.length - TOP_ISSUES),
  };
}
