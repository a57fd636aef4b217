import { Router } from 'express';
import type { Registry } from 'prom-client';

/** GET /metrics in the Prometheus text format; open like /health, it holds no secrets and no alert text. */
export function metricsRoute(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const body = await registry.metrics();
    res.type(registry.contentType).send(body);
  });
  return router;
}
