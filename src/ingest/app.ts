import express, { type Express } from 'express';
import type { Config } from '../config/schema';
import type { SentryNotifyOn } from '../normalize/sentry-notify-on';
import type { Logger } from '../observability/logger';
import type { GatewayMetrics } from '../observability/metrics';
import type { DeliveryQueue } from '../queue/queues';
import type { AdminRouteModule } from './operator/admin-route';
import { historyRoutes, type HistoryRoutesDeps } from './operator/history/history-routes';
import { deliveriesRoute } from './operator/deliveries-route';
import { healthRoutes, type ReadinessDetail, type ReadinessProbe } from './operator/health-routes';
import { errorHandler, notFound } from './http-error';
import { metricsRoute } from './operator/metrics-route';
import { requireToken } from './auth/require-token';
import { testRoute, type TestRouteDeps } from './operator/test-route';
import { isOpen } from './auth/route-access';
import { webhookRoutes } from './webhook-routes';
import { countWebhooks } from './webhook-metrics';
import { reloadRoute } from './operator/reload-route';
import type { Reloader } from '../reload/reloader';

export interface AppDeps {
  logger: Logger;
  readiness: ReadinessProbe;
  /** More for /ready's answer (the channels a provider paused). */
  readinessDetail?: ReadinessDetail;
  /** Absent for ROLE=worker: such a process serves only health endpoints. */
  ingest?: TestRouteDeps;
  bodyLimitBytes: number;
  /** Signature, token and basic-auth settings; every route is open when absent. */
  auth?: Config['auth'];
  /** express's `trust proxy` (ingest.trustProxy); false when absent. */
  trustProxy?: Config['ingest']['trustProxy'];
  sentryNotifyOn?: SentryNotifyOn;
  /** /metrics, /deliveries and (with an admin token) /admin/queues, served by every role. */
  ops?: { metrics: GatewayMetrics; queues: ReadonlyMap<string, DeliveryQueue> };
  /** GET /, /events*, /errors*, /config and the web page /ui. */
  history?: Omit<HistoryRoutesDeps, 'queues' | 'ingest'>;
  /** Self-monitoring: an unexpected error behind a 500. */
  reportError?: (err: unknown) => void;
  /** POST /-/reload (admin token), served by every role. */
  reload?: Reloader;
}

/** The HTTP face of the gateway: thin routes over the pipeline stages. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  const auth: Partial<Config['auth']> = deps.auth ?? {};
  app.disable('x-powered-by');
  // Off unless configured: a proxy's X-Forwarded-For is believed only from where the operator says proxies are.
  app.set('trust proxy', deps.trustProxy ?? false);
  // No client revalidates a webhook answer or an API reply; hashing every body for an ETag is waste.
  app.set('etag', false);
  // Webhooks first: they are nearly all the traffic, and each router passed on the way costs.
  if (deps.ingest) {
    if (deps.ops) app.use('/webhook', countWebhooks(deps.ops.metrics));
    app.use(webhookRoutes(deps.ingest, { bodyLimitBytes: deps.bodyLimitBytes, auth: deps.auth, sentryNotifyOn: deps.sentryNotifyOn }));
  }
  app.use(healthRoutes(deps.readiness, deps.readinessDetail));
  if (deps.ops) {
    app.use(metricsRoute(deps.ops.metrics.registry));
    const { adminToken, token } = auth;
    app.use(deliveriesRoute({ queues: deps.ops.queues, tokens: [adminToken, token], deadLetterTokens: [adminToken || token], open: isOpen(auth, '/deliveries') }));
    if (deps.auth?.adminToken) app.use(lazyAdminRoute(deps.ops.queues, deps.auth.adminToken));
  }
  if (deps.history && deps.ops) app.use(historyRoutes({ ...deps.history, queues: deps.ops.queues, ingest: deps.ingest }));
  if (deps.reload) app.use(reloadRoute(deps.reload, auth.adminToken));
  if (deps.ingest) {
    // /test sends messages and its dry run shows chat ids: the shared or the admin token guards it.
    app.use('/test', requireToken([auth.token, auth.adminToken], { route: '/test', open: isOpen(auth, '/test') }));
    app.use(testRoute(deps.ingest));
  }
  app.use(notFound);
  app.use(errorHandler(deps.logger, deps.reportError));
  return app;
}

/** Bull Board is loaded on the dashboard's first request: a gateway nobody looks at does not hold it in memory. */
function lazyAdminRoute(queues: ReadonlyMap<string, DeliveryQueue>, adminToken: string): express.RequestHandler {
  let router: express.Router | undefined;
  return (req, res, next) => {
    if (!req.path.startsWith('/admin')) return next();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
    router ??= (require('./operator/admin-route') as AdminRouteModule).adminRoute(queues, adminToken);
    router(req, res, next);
  };
}
