import request from 'supertest';
import type { EventDetail, EventRecord } from '../../src/history/record';
import type { Harness } from './gateway-harness';
import { waitFor } from './wait-for';

export type { EventDetail, EventRecord };

/** GET /events/{id} until `done` holds for the record (it is written by the workers, after the 202). */
export function eventWhen(gw: Harness, id: string, done: (event: EventDetail) => boolean, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<EventDetail> {
  return waitFor(async () => {
    const res = await request(gw.url).get(`/events/${id}`).set(headers);
    return res.status === 200 && done(res.body as EventDetail) ? (res.body as EventDetail) : undefined;
  }, `event ${id} in the wanted state`, timeoutMs);
}

/** The outcome of each channel, as `{channel: outcome}`. */
export function outcomes(event: EventRecord): Record<string, string> {
  return Object.fromEntries(event.deliveries.map((d) => [d.channel, d.outcome]));
}
