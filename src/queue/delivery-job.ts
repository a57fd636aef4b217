import { createHash } from 'node:crypto';
import type { AlertEvent } from '../normalize/event';

/** What Redis keeps for one delivery: the event and where it goes, never a secret. */
export interface DeliveryJobData {
  event: AlertEvent;
  channel: string;
  /** When the webhook arrived (ms since epoch), for end-to-end latency. */
  receivedAt: number;
}

export interface DeliveryResult {
  providerMessageId?: string;
  ms: number;
}

/** One queue per channel, so a throttled or dead destination never holds up the others. */
export function queueNameFor(channel: string): string {
  return `deliver.${channel}`;
}

/**
 * The job id comes from the notification's identity, not the request: a sender's retry of the
 * same webhook maps to the same job, which BullMQ does not add twice.
 */
export function deliveryJobId(event: AlertEvent, channel: string): string {
  return createHash('sha256').update(`${event.identity}\0${channel}`).digest('hex').slice(0, 32);
}
