import { Router } from 'express';

export interface ReadinessProbe {
  /** undefined when ready, else why not. */
  (): Promise<string | undefined>;
}

/** More for /ready's answer, ready or not (e.g. which channels a provider paused). */
export type ReadinessDetail = () => Promise<Record<string, unknown>>;

/** /health: the process runs. /ready: it can do its job (Redis answers, workers run). */
export function healthRoutes(notReadyBecause: ReadinessProbe, detail: ReadinessDetail = async () => ({})): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    const reason = await notReadyBecause();
    const extra = await detail();
    if (reason) res.status(503).json({ status: 'not ready', reason, ...extra });
    else res.json({ status: 'ready', ...extra });
  });
  return router;
}
