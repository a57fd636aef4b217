import type { RequestHandler } from 'express';
import type { WebhookMetrics, WebhookSource } from '../observability/metrics';

const SOURCES: Record<string, WebhookSource> = { '/sentry': 'sentry', '/alertmanager': 'alertmanager' };

/**
 * Mounted at /webhook: counts every answer once it is sent, whichever step gave it (auth, body
 * parsing, normalizing, Redis), so the webhook routes need no metrics code. 202 means stored, 200
 * means nothing to deliver, anything else is a rejection labelled with its error code, which the
 * error handler leaves in `res.locals.errorCode`.
 */
export function countWebhooks(metrics: WebhookMetrics): RequestHandler {
  return (req, res, next) => {
    const source = req.method === 'POST' ? SOURCES[req.path] : undefined;
    if (source) {
      res.once('finish', () => {
        if (res.statusCode === 202) metrics.webhook(source, 'accepted');
        else if (res.statusCode < 300) metrics.webhook(source, 'ignored');
        else metrics.webhook(source, 'rejected', typeof res.locals.errorCode === 'string' ? res.locals.errorCode : `http_${res.statusCode}`);
      });
    }
    next();
  };
}
