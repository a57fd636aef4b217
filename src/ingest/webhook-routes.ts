import { Router, type Request, type Response } from 'express';
import type { Config } from '../config/schema';
import { parseAlertmanager } from '../normalize/alertmanager';
import type { ParseResult } from '../normalize/parse-result';
import { parseSentry } from '../normalize/sentry';
import { DEFAULT_SENTRY_NOTIFY_ON, type SentryNotifyOn } from '../normalize/sentry-notify-on';
import { sendAcceptResult } from './accept-answer';
import { acceptEvents, type IngestDeps } from './accept-events';
import { alertmanagerAuth } from './auth/alertmanager-auth';
import { HttpError } from './http-error';
import { parseJsonBody, readRawBody } from './body/json-body';
import { sentryAuth, sentryAuthBeforeBody } from './auth/sentry-auth';

export interface WebhookRouteOptions {
  bodyLimitBytes: number;
  auth?: Partial<Config['auth']>;
  /** Which Sentry actions become messages (config `sentry.notifyOn`). */
  sentryNotifyOn?: SentryNotifyOn;
}

/**
 * POST /webhook/sentry and /webhook/alertmanager: read the raw bytes (bounded), authenticate
 * (a signature covers those bytes), parse JSON, validate and normalize, enqueue.
 */
export function webhookRoutes(deps: IngestDeps, options: WebhookRouteOptions): Router {
  const router = Router();
  const auth = options.auth ?? {};
  const notifyOn = options.sentryNotifyOn ?? DEFAULT_SENTRY_NOTIFY_ON;

  // Credentials in headers and the query are checked before the body is read: a wrong one costs no upload.
  router.post('/webhook/alertmanager', alertmanagerAuth(auth), readRawBody(options.bodyLimitBytes), parseJsonBody(), async (req, res) => {
    await answer(deps, req, res, parseAlertmanager(req.body));
  });

  router.post('/webhook/sentry', sentryAuthBeforeBody(auth), readRawBody(options.bodyLimitBytes), sentryAuth(auth), parseJsonBody(), async (req, res) => {
    await answer(deps, req, res, parseSentry(req.get('sentry-hook-resource'), req.body, new Date(), notifyOn));
  });

  return router;
}

async function answer(deps: IngestDeps, req: Request, res: Response, parsed: ParseResult): Promise<void> {
  const receivedAt = Date.now();
  switch (parsed.kind) {
    case 'invalid':
      throw new HttpError(400, 'invalid_payload', parsed.message);
    case 'ignored':
      deps.logger.info(`${req.path}: nothing to deliver: ${parsed.reason}`, { from: req.ip });
      sendAcceptResult(res, { status: 'ignored', reason: parsed.reason });
      return;
    case 'events':
      sendAcceptResult(res, await acceptEvents(deps, parsed.events, { receivedAt }));
  }
}
