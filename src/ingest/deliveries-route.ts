import { Router } from 'express';
import { findDelivery } from '../queue/delivery-status';
import { QueueUnavailableError } from '../queue/enqueue';
import type { DeliveryQueue } from '../queue/queues';
import { requireAdmin } from './admin-auth';
import { HttpError } from './http-error';

export interface DeliveriesRouteDeps {
  queues: ReadonlyMap<string, DeliveryQueue>;
  /** The admin and the shared token; either opens these routes. Open when neither is set. */
  tokens: readonly (string | undefined)[];
}

// BullMQ job ids as the ingest routes return them; anything else cannot name a job.
const JOB_ID = /^[\w:.-]{1,128}$/;

/** /deliveries: the state of deliveries, by the job ids the webhook answers returned. */
export function deliveriesRoute(deps: DeliveriesRouteDeps): Router {
  const router = Router();
  router.use('/deliveries', requireAdmin(deps.tokens));

  router.get('/deliveries/:jobId', async (req, res) => {
    const id = req.params.jobId;
    const found = JOB_ID.test(id) ? await lookUp(deps.queues, id) : undefined;
    if (!found) {
      throw new HttpError(404, 'not_found', `no delivery with this id in the queues of ${[...deps.queues.keys()].join(', ')}; sent jobs are kept 24 h, failed ones 14 days`);
    }
    res.json(found);
  });

  return router;
}

async function lookUp(queues: ReadonlyMap<string, DeliveryQueue>, id: string) {
  try {
    return await findDelivery(queues, id);
  } catch (err) {
    if (err instanceof QueueUnavailableError) throw new HttpError(503, 'queue_unavailable', `Redis does not answer: ${err.message}`);
    throw err;
  }
}
