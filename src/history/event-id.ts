import { createHash } from 'node:crypto';
import type { AlertEvent } from '../normalize/event';

/**
 * An event's history id, known when the webhook is answered (the 202 lists it) and computed again
 * by the intake worker that writes the record: from the notification's identity and its delivery
 * generation, so a sender's retry of the same webhook is answered with the same ids.
 */
export function historyEventId(event: Pick<AlertEvent, 'identity'>, generation: number): string {
  return createHash('sha256').update(`event\0${event.identity}\0${generation}`).digest('hex').slice(0, 24);
}

/** What an id looks like, for routes that take one: anything else names no record. */
export const EVENT_ID = /^[0-9a-f]{24}$/;
