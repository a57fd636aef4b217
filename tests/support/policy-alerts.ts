import { createHash } from 'node:crypto';
import { sampleAlertmanagerPayload } from '../../src/ingest/operator/samples';

/** One alert of an issue (its fingerprint); `n` makes each repeat a new notification (another startsAt). */
export interface IssueAlert {
  issue: string;
  severity: 'critical' | 'error' | 'warning' | 'info';
  n: number;
  status?: 'firing' | 'resolved';
}

/** An Alertmanager group with the given alerts, each titled after its issue and linked to it. */
export function policyGroup(alerts: readonly IssueAlert[]): Record<string, unknown> {
  const sample = sampleAlertmanagerPayload(new Date()) as { alerts: Array<Record<string, unknown>> } & Record<string, unknown>;
  const template = sample.alerts[0]!;
  return {
    ...sample,
    status: alerts.some((a) => (a.status ?? 'firing') === 'firing') ? 'firing' : 'resolved',
    alerts: alerts.map(({ issue, severity, n, status = 'firing' }) => ({
      ...template,
      status,
      labels: { alertname: issue, severity, job: 'checkout-api' },
      annotations: { summary: `${issue} on checkout-api` },
      startsAt: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
      endsAt: status === 'resolved' ? new Date(Date.UTC(2026, 0, 1) + n * 1000 + 500).toISOString() : '0001-01-01T00:00:00Z',
      generatorURL: `http://prometheus.example.com:9090/graph?g0.expr=${issue}`,
      fingerprint: createHash('sha256').update(issue).digest('hex').slice(0, 16),
    })),
  };
}

/** `count` firing repeats of one issue, numbered from `from`. */
export function repeats(issue: string, severity: IssueAlert['severity'], count: number, from = 0): IssueAlert[] {
  return Array.from({ length: count }, (_, i) => ({ issue, severity, n: from + i }));
}

export async function postGroup(url: string, alerts: readonly IssueAlert[]): Promise<void> {
  const res = await fetch(`${url}/webhook/alertmanager`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(policyGroup(alerts)) });
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
}
