import type { Response } from 'express';
import type { AlertEvent } from '../normalize/event';
import { enqueueEvents, QueueUnavailableError } from '../intake/enqueue';
import { IntakeJobTooLargeError, type IntakeQueue, type RoutedEvent } from '../intake/intake-queue';
import { matchRoutes, type CompiledRoute } from '../route/match-routes';
import { HttpError } from './http-error';
import type { Logger } from '../observability/logger';

export interface IngestDeps {
  intake: IntakeQueue;
  routes: readonly CompiledRoute[];
  logger: Logger;
  /** How long a notification is remembered (dedup.remember): the delivery job ids depend on it. */
  rememberMs: number;
  /** Why Redis may not keep what it stores (it evicts), or undefined. */
  redisEvicts?: () => string | undefined;
}

/**
 * Routes the events, stores them as one intake job and answers 202 only once Redis holds it;
 * 503 otherwise, so the sender retries.
 */
export async function acceptEvents(
  deps: IngestDeps,
  res: Response,
  events: readonly AlertEvent[],
  options: { receivedAt: number; onlyChannel?: string } = { receivedAt: Date.now() },
): Promise<void> {
  const routed: RoutedEvent[] = events
    .map((event) => ({ event, channels: options.onlyChannel ? [options.onlyChannel] : matchRoutes(event, deps.routes) }))
    .filter(({ channels }) => channels.length > 0);
  if (routed.length === 0) {
    deps.logger.warn(`no route matches ${events.length} event(s); nothing to deliver`, { source: events[0]?.source });
    res.status(200).json({ accepted: 0, reason: 'no route matches these alerts' });
    return;
  }
  const evicts = deps.redisEvicts?.();
  if (evicts) throw new HttpError(503, 'redis_evicts', `alerts not stored: ${evicts}`);
  try {
    const jobs = await enqueueEvents(deps.intake, routed, options.receivedAt, deps.rememberMs);
    res.status(202).json({ accepted: events.length, jobs });
  } catch (err) {
    // Nothing was stored; the same webhook will be refused again, so a 4xx, not a 503.
    if (err instanceof IntakeJobTooLargeError) throw new HttpError(413, 'payload_too_large', err.message);
    if (err instanceof QueueUnavailableError) {
      throw new HttpError(503, 'queue_unavailable', `alerts may not be stored; retry is safe: ${err.message}`);
    }
    throw err;
  }
}
