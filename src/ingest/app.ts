import express, { type Express } from 'express';
import type { Logger } from '../observability/logger';
import { healthRoutes, type ReadinessProbe } from './health-routes';
import { errorHandler, notFound } from './http-error';
import { testRoute, type TestRouteDeps } from './test-route';
import { webhookRoutes } from './webhook-routes';

export interface AppDeps {
  logger: Logger;
  readiness: ReadinessProbe;
  /** Absent for ROLE=worker: such a process serves only health endpoints. */
  ingest?: TestRouteDeps;
  bodyLimitBytes: number;
}

/** The HTTP face of the gateway: thin routes over the pipeline stages. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(healthRoutes(deps.readiness));
  if (deps.ingest) {
    app.use(webhookRoutes(deps.ingest, { bodyLimitBytes: deps.bodyLimitBytes }));
    app.use(testRoute(deps.ingest));
  }
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
