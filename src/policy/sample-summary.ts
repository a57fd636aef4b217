import type { SummaryFacts } from './summary-facts';

/**
 * A realistic summary for POST /test {"kind": "digest"}: an hour of a busy checkout service,
 * with a resolved issue and more issues than a summary lists.
 */
export function sampleSummary(end: number, periodMs: number): SummaryFacts {
  const sentry = (id: number) => `https://sentry.example.com/organizations/acme/issues/${id}/`;
  return {
    kind: 'digested',
    from: end - periodMs,
    to: end,
    total: 530,
    bySeverity: { critical: 0, error: 0, warning: 498, info: 32 },
    byStatus: { firing: 527, resolved: 3 },
    issueCount: 14,
    stillFiring: 12,
    resolved: 2,
    issues: [
      { title: 'SlowQuery: SELECT * FROM orders took 2.3s', url: sentry(4211), source: 'sentry', severity: 'warning', status: 'firing', project: 'checkout-api', count: 412 },
      { title: 'Retrying payment provider call (attempt 2 of 3)', url: sentry(4388), source: 'sentry', severity: 'warning', status: 'firing', project: 'checkout-api', count: 61 },
      { title: 'Disk usage above 80% on db-2', url: 'http://prometheus.example.com:9090/graph?g0.expr=disk_used_ratio+%3E+0.8', source: 'alertmanager', severity: 'warning', status: 'resolved', count: 19 },
      { title: 'Cache hit ratio below 90%', source: 'alertmanager', severity: 'info', status: 'firing', count: 11 },
      { title: 'Deprecated API v1 called by mobile 4.2', url: sentry(4502), source: 'sentry', severity: 'info', status: 'firing', project: 'mobile-gw', count: 9 },
    ],
    more: 9,
  };
}
