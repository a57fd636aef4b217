import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../observability/logger';
import { shortText } from '../normalize/short-text';
import { QueueUnavailableError, RedisEvictsError } from '../intake/enqueue';
import { IntakeJobTooLargeError } from '../intake/intake-queue';

/** An answer that tells the sender what to fix: `{"error": {"code", "message"}}`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra answer headers, e.g. WWW-Authenticate on a 401. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${shortText(req.path, 200)}`));
};

/**
 * Never a stack trace to the client; 4xx are the sender's to fix and logged at warn with the
 * sender's address and the reason: never the body, never the query string (it may hold ?token=).
 */
export function errorHandler(logger: Logger, onUnexpected?: (err: unknown) => void): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known = toHttpError(err);
    const path = shortText(req.path, 200);
    // A 500 that is none of the answers above is a bug: self-monitoring hears of it.
    if (known.code === 'internal') onUnexpected?.(err);
    if (known.status >= 500) {
      logger.error(`${req.method} ${path} failed: ${err instanceof Error ? err.message : String(err)}`, { from: req.ip });
    } else {
      const agent = req.get('user-agent');
      logger.warn(`${req.method} ${path} rejected: ${known.message}`, {
        status: known.status,
        code: known.code,
        from: req.ip,
        agent: agent === undefined ? undefined : shortText(agent, 80),
      });
    }
    res.locals.errorCode = known.code; // the webhook counter's rejection reason
    if (res.headersSent) return;
    res.status(known.status).set(known.headers).json({ error: { code: known.code, message: known.message } });
  };
}

function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  // Redis did not store the alerts: 503, so the sender retries (its retry is safe, see enqueue.ts).
  if (err instanceof QueueUnavailableError) return new HttpError(503, 'queue_unavailable', err.message);
  if (err instanceof RedisEvictsError) return new HttpError(503, 'redis_evicts', err.message);
  // Nothing was stored; the same webhook will be refused again, so a 4xx, not a 503.
  if (err instanceof IntakeJobTooLargeError) return new HttpError(413, 'payload_too_large', err.message);
  // body-parser's own errors carry a status and a type (request.aborted, ...); readRawBody has
  // already turned the ones a sender can fix (size, encoding) into answers that name the setting.
  const status = (err as { status?: unknown }).status;
  const type = (err as { type?: unknown }).type;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(status, String(type ?? 'bad_request').replace(/\./g, '_'), shortText(err instanceof Error ? err.message : String(err), 200));
  }
  return new HttpError(500, 'internal', 'internal error; see the gateway log');
}
