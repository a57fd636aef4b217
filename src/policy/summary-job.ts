import { createHash } from 'node:crypto';
import type { AlertEvent } from '../normalize/event';
import type { HoldDecision } from './route-policy';
import type { HoldKind, SummaryFacts } from './summary-facts';

/** What a summary's delivery job carries besides its stand-in event: which bucket it reads, never a secret. */
export interface SummaryJobFields {
  bucket: string;
  kind: HoldKind;
  label: string;
  from: number;
  to: number;
  /** Filled at the first attempt: reading a bucket closes it, so a retry reports the same facts. */
  facts?: SummaryFacts;
}

/** Where one channel's alerts of one policy and period gather: named by the policy and the period's end. */
export function bucketOf(hold: Pick<HoldDecision, 'policyKey' | 'end'>): string {
  return `${hold.policyKey}:${hold.end}`;
}

/** One summary per channel and bucket, however many alerts ask for it and however many processes add it. */
export function summaryJobId(channel: string, bucket: string): string {
  return createHash('sha256').update(`summary\0${channel}\0${bucket}`).digest('hex').slice(0, 32);
}

/**
 * The event a summary's job carries for its log line and the delivery lookups: named after the
 * policy ("digest 1h"), from the first held alert's source and severity.
 */
export function summaryEvent(first: AlertEvent, hold: HoldDecision, bucket: string): AlertEvent {
  return {
    source: first.source,
    status: 'firing',
    severity: first.severity,
    title: `summary (${hold.label})`,
    labels: {},
    annotations: {},
    occurredAt: new Date(hold.start).toISOString(),
    dedupKey: `summary:${bucket}`,
    identity: `summary:${bucket}`,
    extra: {},
  };
}
