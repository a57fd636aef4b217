import { Router, type RequestHandler } from 'express';
import type { Config } from '../../../config/schema';
import type { History } from '../../../history/history';
import type { DeliveryQueue } from '../../../queue/queues';
import { requireAdmin } from '../../auth/admin-auth';
import { isOpen } from '../../auth/route-access';
import type { GuardedRoute } from '../../config';
import type { TestRouteDeps } from '../test-route';
import { configView } from './config-view';
import { eventsRoute } from './events-route';
import { serviceInfo } from './service-info';
import type { UiDeps } from './ui/ui-route';

export interface HistoryRoutesDeps {
  history: History;
  config: Config;
  /** Every configured credential, masked in /config. */
  secrets: readonly string[];
  version: string;
  queues: ReadonlyMap<string, DeliveryQueue>;
  /** The renderer and channels, for the page's template preview; absent for ROLE=worker. */
  ingest?: TestRouteDeps;
}

/**
 * GET /, /events*, /errors*, /config and the web page /ui (README, "History and the web page"):
 * the admin token when one is set, else the shared token, else open (like /deliveries/failed).
 */
export function historyRoutes(deps: HistoryRoutesDeps): Router {
  const router = Router();
  const { auth } = deps.config;
  const guard = (route: GuardedRoute): RequestHandler => requireAdmin([auth.adminToken || auth.token], { route, open: isOpen(auth, route) });
  const channels = Object.keys(deps.config.channels);
  const reader = deps.history.enabled ? deps.history.reader : undefined;

  router.get('/', (req, res, next) => {
    // A browser is sent to the page (which asks for the credentials itself); nothing is shown before the guard.
    if (req.accepts(['json', 'html']) === 'html') return res.redirect(302, '/ui');
    next();
  }, guard('/'), (_req, res) => {
    res.json(serviceInfo(deps.config, deps.version, deps.history.enabled));
  });
  router.use('/events', guard('/events'));
  router.use('/errors', guard('/errors'));
  router.use(eventsRoute({ reader, channels }));
  router.get('/config', guard('/config'), (_req, res) => {
    res.json(configView(deps.config, deps.secrets));
  });
  // The page's code is loaded on its first request: a gateway nobody looks at does not hold it in memory.
  let ui: Router | undefined;
  router.use('/ui', guard('/ui'), (req, res, next) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
    ui ??= (require('./ui/ui-route') as typeof import('./ui/ui-route')).uiRoute(uiDeps(deps, reader, channels));
    ui(req, res, next);
  });
  return router;
}

function uiDeps(deps: HistoryRoutesDeps, reader: History['reader'] | undefined, channels: string[]): UiDeps {
  return { reader, recorder: deps.history, channels, queues: deps.queues, ingest: deps.ingest };
}
