import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../observability/logger';

/** An answer that tells the sender what to fix: `{"error": {"code", "message"}}`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};

/** Never a stack trace to the client; 4xx are the sender's to fix and logged at warn. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known = toHttpError(err);
    if (known.status >= 500) {
      logger.error(`${req.method} ${req.path} failed: ${(err as Error).message ?? String(err)}`, { from: req.ip });
    } else {
      logger.warn(`${req.method} ${req.path} rejected: ${known.message}`, { status: known.status, code: known.code, from: req.ip });
    }
    if (res.headersSent) return;
    res.status(known.status).json({ error: { code: known.code, message: known.message } });
  };
}

function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  // body-parser's own errors carry a status and a type (entity.too.large, ...).
  const status = (err as { status?: unknown }).status;
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.too.large') return new HttpError(413, 'payload_too_large', (err as Error).message);
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(status, String(type ?? 'bad_request').replace(/\./g, '_'), (err as Error).message);
  }
  return new HttpError(500, 'internal', 'internal error; see the gateway log');
}
