import express, { type RequestHandler } from 'express';
import { HttpError } from './http-error';
import { jsonErrorPosition } from './json-error-position';

/**
 * Reads the body as raw bytes (a signature must be checked over exactly those bytes), then
 * parses it as JSON with errors that say where it broke. The parsed value is `unknown` until a
 * zod schema has looked at it.
 */
export function jsonBody(limitBytes: number, options: { optional?: boolean } = {}): RequestHandler[] {
  const raw = express.raw({ type: () => true, limit: limitBytes });
  const parse: RequestHandler = (req, res, next) => {
    const bytes: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    res.locals.rawBody = bytes;
    if (bytes.length === 0 && options.optional) {
      req.body = undefined;
      return next();
    }
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
      return next(new HttpError(415, 'unsupported_media_type', `Content-Type must be application/json, got "${type || 'none'}"`));
    }
    if (bytes.length === 0) return next(new HttpError(400, 'empty_body', 'the request body is empty; expected a JSON object'));
    try {
      req.body = JSON.parse(bytes.toString('utf8')) as unknown;
    } catch (err) {
      const at = jsonErrorPosition(bytes.toString('utf8'));
      const where = `at position ${at.position} (line ${at.line}, column ${at.column})`;
      return next(new HttpError(400, 'malformed_json', `the body is not valid JSON ${where}: ${(err as Error).message}`));
    }
    next();
  };
  return [raw, parse];
}
