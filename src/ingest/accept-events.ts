import type { AlertEvent } from '../normalize/event';
import { enqueueEvents, RedisEvictsError, type EnqueuedJob } from '../intake/enqueue';
import type { IntakeQueue, RoutedEvent } from '../intake/intake-queue';
import { matchRoutes, type CompiledRoute } from '../route/match-routes';
import type { Logger } from '../observability/logger';
import { historyEventId } from '../history/event-id';
import { generationOf } from '../queue/delivery-job';

export interface IngestDeps {
  intake: IntakeQueue;
  routes: readonly CompiledRoute[];
  logger: Logger;
  /** How long a notification is remembered (dedup.remember): the delivery job ids depend on it. */
  rememberMs: number;
  /** Why Redis may not keep what it stores (it evicts), or undefined. */
  redisEvicts?: () => string | undefined;
  /** Resolves once the stored webhook would survive a failover (intake/replica-ack.ts); throws QueueUnavailableError otherwise. */
  confirmStored?: () => Promise<void>;
}

/** What became of a webhook's events: stored as jobs, or nothing to store because no route matches. */
export type AcceptResult =
  | { status: 'accepted'; accepted: number; jobs: EnqueuedJob[]; events: string[] }
  | { status: 'ignored'; reason: string };

/**
 * Routes the events and stores them as one intake job, resolving only once Redis holds it.
 * Throws RedisEvictsError, QueueUnavailableError or IntakeJobTooLargeError when nothing was
 * stored; http-error.ts turns each into its answer.
 */
export async function acceptEvents(
  deps: IngestDeps,
  events: readonly AlertEvent[],
  options: { receivedAt: number; onlyChannel?: string } = { receivedAt: Date.now() },
): Promise<AcceptResult> {
  const routed: RoutedEvent[] = events
    .map((event) => ({ event, channels: options.onlyChannel ? [options.onlyChannel] : matchRoutes(event, deps.routes) }))
    .filter(({ channels }) => channels.length > 0);
  if (routed.length === 0) {
    deps.logger.warn(`no route matches ${events.length} event(s); nothing to deliver`, { source: events[0]?.source });
    return { status: 'ignored', reason: 'no route matches these alerts' };
  }
  const evicts = deps.redisEvicts?.();
  if (evicts) throw new RedisEvictsError(`alerts not stored: ${evicts}`);
  const jobs = await enqueueEvents(deps.intake, routed, options.receivedAt, deps.rememberMs);
  await deps.confirmStored?.();
  // The history ids the intake worker will write (GET /events/{id}): the same for a sender's retry.
  const generation = generationOf(options.receivedAt, deps.rememberMs);
  return { status: 'accepted', accepted: events.length, jobs, events: routed.map(({ event }) => historyEventId(event, generation)) };
}
