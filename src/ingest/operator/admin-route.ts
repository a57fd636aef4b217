import { Router, type RequestHandler } from 'express';
import type { DeliveryQueue } from '../../queue/queues';
import { requireAdmin } from '../auth/admin-auth';

export const ADMIN_QUEUES_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues: every delivery queue, its jobs and their errors, with retry and
 * clean buttons. Only the admin token opens it (the shared webhook token is handed to senders);
 * without one the route does not exist, so a fresh install never exposes its queues.
 */
export function adminRoute(queues: ReadonlyMap<string, DeliveryQueue>, adminToken: string): Router {
  let board: Promise<RequestHandler> | undefined;
  const router = Router();
  // Bull Board (with lodash, valibot and ejs) is a quarter of the modules a gateway loads: only the
  // first authenticated visit loads it, so a process nobody opens the dashboard of never holds it.
  router.use(ADMIN_QUEUES_PATH, requireAdmin([adminToken], { route: ADMIN_QUEUES_PATH, open: false }), async (req, res, next) => {
    // A failed load is not kept: the next visit tries again.
    board ??= createBoard(queues).catch((err: unknown) => {
      board = undefined;
      throw err;
    });
    (await board)(req, res, next);
  });
  return router;
}

async function createBoard(queues: ReadonlyMap<string, DeliveryQueue>): Promise<RequestHandler> {
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const serverAdapter = new ExpressAdapter().setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: [...queues].map(([channel, queue]) => new BullMQAdapter(queue, { displayName: queue.name, description: `deliveries to channel "${channel}"` })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'notification-gateway', hideDocsLink: true } },
  });
  return serverAdapter.getRouter() as RequestHandler;
}

/** What app.ts loads on the first /admin request. */
export type AdminRouteModule = { adminRoute: typeof adminRoute };
