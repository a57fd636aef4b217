import { Router } from 'express';

export interface ReadinessProbe {
  /** undefined when ready, else why not. */
  (): Promise<string | undefined>;
}

/** /health: the process runs. /ready: it can do its job (Redis answers, workers run). */
export function healthRoutes(notReadyBecause: ReadinessProbe): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    const reason = await notReadyBecause();
    if (reason) res.status(503).json({ status: 'not ready', reason });
    else res.json({ status: 'ready' });
  });
  return router;
}
