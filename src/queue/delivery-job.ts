import { createHash } from 'node:crypto';
import type { WindowSummary } from '../dedup/dedup-gate';
import type { AlertEvent } from '../normalize/event';
import type { SummaryJobFields } from '../policy/summary-job';

/** What Redis keeps for one delivery: the event and where it goes, never a secret. */
export interface DeliveryJobData {
  event: AlertEvent;
  channel: string;
  /** When the webhook arrived (ms since epoch), for end-to-end latency. */
  receivedAt: number;
  /** The alert's history record (GET /events/{id}); absent in jobs stored before history existed. */
  eventId?: string;
  /** A digest reports what a dedup window suppressed; `event` is then the latest repeat. */
  /** An edit updates the incident's living message with its running count (README, "One message per incident"). */
  kind?: 'alert' | 'digest' | 'summary' | 'edit';
  /** Job id of this previous message on this channel: sent first, so "resolved" never overtakes "firing". */
  after?: string;
  /** Digest only: the window it reports on, and what that window held once read. */
  window?: { id: string; ms: number };
  summary?: WindowSummary;
  /** Summary only (a digest route's period, a mute's end): the bucket it reports (policy/summary-job.ts). */
  policy?: SummaryJobFields;
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
 * Which generation of a notification a webhook received at `receivedAt` belongs to: one per
 * `rememberMs` (how long the seen marker remembers it). A sender's retry inside that span keeps the
 * generation; a repeat the gateway no longer remembers (Alertmanager's repeat_interval, a fixed
 * destination) falls in a later one.
 */
export function generationOf(receivedAt: number, rememberMs: number): number {
  return Math.floor(receivedAt / Math.max(1, rememberMs));
}

/**
 * The job id comes from the notification's identity and its generation, not the request: a
 * sender's retry and a retried intake job map to the same job, which BullMQ does not add twice,
 * while a later repeat gets a job of its own. Without the generation, an id that BullMQ still keeps
 * as a finished job (24 h sent, 14 days failed) would swallow the repeat.
 */
export function deliveryJobId(event: Pick<AlertEvent, 'identity'>, channel: string, generation: number): string {
  return createHash('sha256').update(`${event.identity}\0${channel}\0${generation}`).digest('hex').slice(0, 32);
}

/** The id version 0.1 gave a delivery: still named by dedup state and jobs stored before an upgrade. */
export function legacyDeliveryJobId(identity: string, channel: string): string {
  return createHash('sha256').update(`${identity}\0${channel}`).digest('hex').slice(0, 32);
}

/** One digest per dedup window and channel, however often the intake asks for it. */
export function digestJobId(channel: string, dedupKey: string, windowId: string): string {
  return createHash('sha256').update(`digest\0${channel}\0${dedupKey}\0${windowId}`).digest('hex').slice(0, 32);
}

/** One edit of a living message per channel, issue, opening job and editInterval slot, however many repeats ask for it. */
export function editJobId(channel: string, dedupKey: string, openerJob: string, slot: number): string {
  return createHash('sha256').update(`edit\0${channel}\0${dedupKey}\0${openerJob}\0${slot}`).digest('hex').slice(0, 32);
}
