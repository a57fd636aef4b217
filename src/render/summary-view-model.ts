import type { SummaryFacts } from '../policy/summary-facts';
import { SEVERITIES } from '../normalize/event';
import type { Locale } from './locales/locale';
import { Escaped } from './escaped';
import type { Format } from './formats';
import { safeUrl } from './view-model';

/**
 * What a summary template sees: the facts, with every payload text (issue titles, projects)
 * and link wrapped for the channel's escaping, times as ISO text for the `time` helper, and
 * only the severities that occurred.
 */
export function buildSummaryViewModel(facts: SummaryFacts, format: Format, locale: Locale) {
  const text = (value: string | undefined) => (value ? new Escaped(value, format.escape) : undefined);
  return {
    locale,
    summary: {
      kind: facts.kind,
      isMuted: facts.kind === 'muted',
      from: new Date(facts.from).toISOString(),
      to: new Date(facts.to).toISOString(),
      total: facts.total,
      issueCount: facts.issueCount,
      stillFiring: facts.stillFiring,
      resolved: facts.resolved,
      more: facts.more,
      byStatus: facts.byStatus,
      severities: SEVERITIES.filter((severity) => facts.bySeverity[severity] > 0).map((severity) => ({ severity, count: facts.bySeverity[severity] })),
      issues: facts.issues.map((issue) => {
        const url = safeUrl(issue.url);
        return {
          title: text(issue.title),
          project: text(issue.project),
          url: url ? new Escaped(url, format.escapeUrl) : undefined,
          count: issue.count,
          severity: issue.severity,
          status: issue.status,
          isResolved: issue.status === 'resolved',
        };
      }),
    },
  };
}
