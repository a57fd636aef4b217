import type { AlertSource, AlertStatus, Severity } from '../normalize/event';

/** Why a summary's alerts were held: a digest period, or a mute (quiet hours, `active` outside its intervals). */
export type HoldKind = 'digested' | 'muted';

/** One issue as a summary lists it: its latest title, link and status, and how many alerts it had. */
export interface SummaryIssue {
  title: string;
  url?: string;
  source: AlertSource;
  severity: Severity;
  /** The issue's last status in the period: "resolved" shows it as resolved in the period. */
  status: AlertStatus;
  project?: string;
  count: number;
}

/** What one summary message reports (README, "Notification policy"). */
export interface SummaryFacts {
  kind: HoldKind;
  /** The period: from the first held alert's period start to its end (ms since epoch). */
  from: number;
  to: number;
  /** Alerts held (every repeat counts; a sender's retry does not). */
  total: number;
  bySeverity: Record<Severity, number>;
  byStatus: Record<AlertStatus, number>;
  /** Distinct issues, and how many of them were still firing / resolved at the end. */
  issueCount: number;
  stillFiring: number;
  resolved: number;
  /** The top issues by count; `more` is how many are not listed. */
  issues: SummaryIssue[];
  more: number;
}
