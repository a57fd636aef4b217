import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router } from 'express';
import type { DeliveryQueue } from '../../queue/queues';
import { requireAdmin } from '../auth/admin-auth';

export const ADMIN_QUEUES_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues: every delivery queue, its jobs and their errors, with retry and
 * clean buttons. Only the admin token opens it (the shared webhook token is handed to senders);
 * without one the route does not exist, so a fresh install never exposes its queues.
 */
export function adminRoute(queues: ReadonlyMap<string, DeliveryQueue>, adminToken: string): Router {
  const serverAdapter = new ExpressAdapter().setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: [...queues].map(([channel, queue]) => new BullMQAdapter(queue, { displayName: queue.name, description: `deliveries to channel "${channel}"` })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'notification-gateway', hideDocsLink: true } },
  });
  const router = Router();
  router.use(ADMIN_QUEUES_PATH, requireAdmin([adminToken], { route: ADMIN_QUEUES_PATH, open: false }), serverAdapter.getRouter() as Router);
  return router;
}

/** What app.ts loads on the first /admin request. */
export type AdminRouteModule = { adminRoute: typeof adminRoute };
