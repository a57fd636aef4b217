import type { Response } from 'express';
import type { AlertEvent } from '../normalize/event';
import { enqueueDeliveries, QueueUnavailableError, type Delivery } from '../queue/enqueue';
import type { DeliveryQueue } from '../queue/queues';
import { matchRoutes, type CompiledRoute } from '../route/match-routes';
import { HttpError } from './http-error';
import type { Logger } from '../observability/logger';

export interface IngestDeps {
  queues: ReadonlyMap<string, DeliveryQueue>;
  routes: readonly CompiledRoute[];
  logger: Logger;
}

/**
 * Routes the events, stores one job per (event, channel) and answers 202 only once Redis
 * holds every job; 503 otherwise, so the sender retries.
 */
export async function acceptEvents(
  deps: IngestDeps,
  res: Response,
  events: readonly AlertEvent[],
  options: { receivedAt: number; onlyChannel?: string } = { receivedAt: Date.now() },
): Promise<void> {
  const deliveries: Delivery[] = events.flatMap((event) =>
    (options.onlyChannel ? [options.onlyChannel] : matchRoutes(event, deps.routes)).map((channel) => ({ event, channel })),
  );
  if (deliveries.length === 0) {
    deps.logger.warn(`no route matches ${events.length} event(s); nothing to deliver`, { source: events[0]?.source });
    res.status(200).json({ accepted: 0, reason: 'no route matches these alerts' });
    return;
  }
  try {
    const jobs = await enqueueDeliveries(deps.queues, deliveries, options.receivedAt);
    res.status(202).json({ accepted: events.length, jobs });
  } catch (err) {
    if (err instanceof QueueUnavailableError) {
      throw new HttpError(503, 'queue_unavailable', `alerts not stored, try again later: ${err.message}`);
    }
    throw err;
  }
}
