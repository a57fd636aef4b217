import { Router, type Request, type Response } from 'express';
import { parseAlertmanager } from '../normalize/alertmanager';
import type { ParseResult } from '../normalize/parse-result';
import { parseSentry } from '../normalize/sentry';
import { acceptEvents, type IngestDeps } from './accept-events';
import { HttpError } from './http-error';
import { jsonBody } from './json-body';

export interface WebhookRouteOptions {
  bodyLimitBytes: number;
}

/** POST /webhook/sentry and /webhook/alertmanager: verify, parse, normalize, enqueue. */
export function webhookRoutes(deps: IngestDeps, options: WebhookRouteOptions): Router {
  const router = Router();
  const body = jsonBody(options.bodyLimitBytes);

  router.post('/webhook/alertmanager', ...body, async (req, res) => {
    await answer(deps, req, res, parseAlertmanager(req.body));
  });

  router.post('/webhook/sentry', ...body, async (req, res) => {
    await answer(deps, req, res, parseSentry(req.get('sentry-hook-resource'), req.body));
  });

  return router;
}

async function answer(deps: IngestDeps, req: Request, res: Response, parsed: ParseResult): Promise<void> {
  const receivedAt = Date.now();
  switch (parsed.kind) {
    case 'invalid':
      throw new HttpError(400, 'invalid_payload', parsed.message);
    case 'ignored':
      deps.logger.info(`${req.path}: nothing to deliver: ${parsed.reason}`);
      res.status(200).json({ accepted: 0, reason: parsed.reason });
      return;
    case 'events':
      await acceptEvents(deps, res, parsed.events, { receivedAt });
  }
}
