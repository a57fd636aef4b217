import type { AlertEvent, AlertSource, AlertStatus, Severity } from '../normalize/event';

/** What became of an alert on one channel (README, "History and the web page"). */
export const OUTCOMES = ['pending', 'sent', 'edited', 'suppressed', 'digested', 'muted', 'retrying', 'failed'] as const;
export type HistoryOutcome = (typeof OUTCOMES)[number];

/** One channel's latest state for an event, as GET /events shows it. */
export interface DeliveryRecord {
  channel: string;
  outcome: HistoryOutcome;
  attempts: number;
  providerMessageId: string | null;
  /** The provider's answer or the reason, for retrying and failed; null otherwise. */
  error: string | null;
  /** ISO time of this outcome. */
  at: string;
  /** The delivery job (GET /deliveries/{id}, the resend button); null until a worker ran it. */
  jobId: string | null;
}

/** One step of an event's timeline on one channel (GET /events/{id}). */
export interface TimelineEntry {
  at: string;
  channel: string;
  outcome: HistoryOutcome;
  attempt?: number;
  providerMessageId?: string;
  error?: string;
  detail?: string;
}

/** The normalized fields a record keeps: what an operator looks for, never the raw payload. */
export interface EventFields {
  id: string;
  receivedAt: string;
  source: AlertSource;
  status: AlertStatus;
  severity: Severity;
  title: string;
  message: string | null;
  culprit: string | null;
  project: string | null;
  environment: string | null;
  release: string | null;
  dedupKey: string;
  url: string | null;
  occurredAt: string;
  labels: Record<string, string>;
}

export interface EventRecord extends EventFields {
  deliveries: DeliveryRecord[];
}

export interface EventDetail extends EventRecord {
  timeline: TimelineEntry[];
}

/** What a recorder call says about one outcome; `attempts` counts provider calls so far. */
export interface OutcomeUpdate {
  outcome: HistoryOutcome;
  attempts?: number;
  providerMessageId?: string;
  error?: string;
  /** A note for the timeline (why suppressed, which digest, until when muted). */
  detail?: string;
  /** The delivery job it concerns, so a failed one can be resent. */
  jobId?: string;
  /** When it happened; now by default. */
  at?: number;
}

export function eventFields(id: string, event: AlertEvent, receivedAt: number): EventFields {
  return {
    id,
    receivedAt: new Date(receivedAt).toISOString(),
    source: event.source,
    status: event.status,
    severity: event.severity,
    title: event.title,
    message: event.message ?? null,
    culprit: event.culprit ?? null,
    project: event.project ?? null,
    environment: event.environment ?? null,
    release: event.release ?? null,
    dedupKey: event.dedupKey,
    url: event.url ?? null,
    occurredAt: event.occurredAt,
    labels: event.labels,
  };
}
