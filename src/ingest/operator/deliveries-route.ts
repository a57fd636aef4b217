import { Router } from 'express';
import { listFailedDeliveries, retryFailedDelivery } from '../../queue/lookups/dead-letters';
import { findDelivery } from '../../queue/lookups/delivery-status';
import type { DeliveryQueue } from '../../queue/queues';
import { requireAdmin } from '../auth/admin-auth';
import { HttpError } from '../http-error';

export interface DeliveriesRouteDeps {
  queues: ReadonlyMap<string, DeliveryQueue>;
  /** The admin and the shared token; either opens the status lookup. */
  tokens: readonly (string | undefined)[];
  /**
   * What opens the dead-letter routes (list, retry): the admin token when one is set, else the
   * shared token, so they are never open while any token is configured (README, "Securing each sender").
   */
  deadLetterTokens: readonly (string | undefined)[];
  /** No credential configured at all, or "/deliveries" in auth.allowOpen. */
  open: boolean;
}

// BullMQ job ids as the ingest routes return them; anything else cannot name a job.
const JOB_ID = /^[\w:.-]{1,128}$/;
const LIMIT = { default: 50, max: 500 } as const;

/** /deliveries: the state of deliveries, by the job ids the webhook answers returned, and the dead letters. */
export function deliveriesRoute(deps: DeliveriesRouteDeps): Router {
  const router = Router();
  const { queues } = deps;
  const access = { route: '/deliveries', open: deps.open };
  router.use('/deliveries', requireAdmin(deps.tokens, access));
  const deadLetterGuard = requireAdmin(deps.deadLetterTokens, access);

  // Before /:jobId, which would otherwise take "failed" for a job id.
  router.get('/deliveries/failed', deadLetterGuard, async (req, res) => {
    const limit = limitOf(req.query.limit);
    const page = await listFailedDeliveries(queues, limit);
    res.json({ total: page.total, limit, jobs: page.jobs });
  });

  router.post('/deliveries/:jobId/retry', deadLetterGuard, async (req, res) => {
    const id = String(req.params.jobId);
    const outcome = JOB_ID.test(id) ? await retryFailedDelivery(queues, id) : { kind: 'notFound' as const };
    if (outcome.kind === 'notFound') throw notFound(queues);
    if (outcome.kind === 'notFailed') {
      throw new HttpError(409, 'not_failed', `delivery ${id} is ${outcome.status}, not failed: only a failed delivery can be retried`);
    }
    res.status(202).json({ id: outcome.id, channel: outcome.channel, status: outcome.status });
  });

  router.get('/deliveries/:jobId', async (req, res) => {
    const id = req.params.jobId;
    const found = JOB_ID.test(id) ? await findDelivery(queues, id) : undefined;
    if (!found) throw notFound(queues);
    res.json(found);
  });

  return router;
}

/** ?limit=N, 1 or more; above the maximum it is capped (the answer says which limit applied). */
function limitOf(value: unknown): number {
  if (value === undefined) return LIMIT.default;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw new HttpError(400, 'invalid_query', `limit must be a whole number from 1 to ${LIMIT.max} (default ${LIMIT.default})`);
  }
  return Math.min(Number(value), LIMIT.max);
}

function notFound(queues: ReadonlyMap<string, DeliveryQueue>): HttpError {
  return new HttpError(404, 'not_found', `no delivery with this id in the queues of ${[...queues.keys()].join(', ')}; sent jobs are kept 24 h, failed ones 14 days, and an alert held back by per-issue dedup never becomes a delivery (see the suppressed log line)`);
}
