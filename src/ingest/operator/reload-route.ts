import { Router } from 'express';
import type { Reloader } from '../../reload/reloader';
import { requireAdmin } from '../auth/admin-auth';
import { HttpError } from '../http-error';

export const RELOAD_PATH = '/-/reload';

/**
 * POST /-/reload, Prometheus' and Alertmanager's route for what SIGHUP does. It re-reads files on
 * the server and can break routing, so only the admin token opens it (SIGHUP needs none).
 * 200 with the channels now running; 400 with the problems, the previous configuration running on.
 */
export function reloadRoute(reloader: Reloader, adminToken: string | undefined): Router {
  const router = Router();
  const guard = adminToken
    ? requireAdmin([adminToken], { route: RELOAD_PATH, open: false })
    : () => {
        throw new HttpError(401, 'no_credential_configured', `${RELOAD_PATH} needs auth.adminToken (or ADMIN_TOKEN); without one, reload with SIGHUP`);
      };
  router.post(RELOAD_PATH, guard, async (_req, res) => {
    const outcome = await reloader.reload(`POST ${RELOAD_PATH}`);
    if (outcome.ok) {
      res.json({ reloaded: true, channels: outcome.channels, restartNeeded: outcome.restartNeeded });
      return;
    }
    res.status(400).json({ error: { code: 'invalid_config', message: outcome.message, problems: outcome.problems } });
  });
  return router;
}
