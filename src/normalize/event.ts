/** The one normalized alert shape every stage after ingest works with (docs/payloads.md says what each source sends). */
export type AlertSource = 'sentry' | 'alertmanager' | 'test';
/** How logs and messages name a source (`docker logs … | grep Sentry`). */
export const SOURCE_NAMES: Readonly<Record<AlertSource, string>> = { sentry: 'Sentry', alertmanager: 'Alertmanager', test: 'Test' };
export type AlertStatus = 'firing' | 'resolved';
export type Severity = 'critical' | 'error' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

export interface AlertEvent {
  source: AlertSource;
  status: AlertStatus;
  severity: Severity;
  title: string;
  message?: string;
  /** Where it happened: top in-app frame or culprit for Sentry, instance for Alertmanager. */
  culprit?: string;
  project?: string;
  environment?: string;
  release?: string;
  /** Link back to the Sentry issue / event, or to the Prometheus expression. */
  url?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** ISO 8601. */
  occurredAt: string;
  /** ISO 8601, resolved alerts only. */
  endedAt?: string;
  /** Occurrence counts where the source gives them. */
  count?: number;
  userCount?: number;
  /** Stable per issue: Sentry group id, Alertmanager fingerprint. Dedup works on this. */
  dedupKey: string;
  /**
   * Identity of this very notification (issue + action, fingerprint + status + times):
   * the same webhook delivered twice yields the same value.
   */
  identity: string;
  /** Source-specific facts a template may show (triggered rule, alert group summary, ...). */
  extra: Record<string, string | number>;
}
