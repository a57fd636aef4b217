import { parse as parseContentType } from 'content-type';
import express, { type RequestHandler } from 'express';
import { shortText } from '../../normalize/short-text';
import { HttpError } from '../http-error';
import { describeJsonError } from './json-error-position';
import { utf8ErrorOffset } from './utf8-error-offset';

/**
 * Reads the body as raw bytes into `res.locals.rawBody`: a signature must be checked over exactly
 * those bytes, before anything parses them. Any content type is read, so that the answer to a
 * wrong one can come after authentication and name the type.
 */
export function readRawBody(limitBytes: number): RequestHandler {
  const raw = express.raw({ type: () => true, limit: limitBytes });
  return (req, res, next) => {
    raw(req, res, (err?: unknown) => {
      if (err) return next(bodyReadError(err, limitBytes));
      res.locals.rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      next();
    });
  };
}

/**
 * Parses `res.locals.rawBody` as JSON, with answers that say what to fix: the content type, the
 * byte where UTF-8 broke, the position where JSON broke. The value is `unknown` until a zod
 * schema has looked at it.
 */
export function parseJsonBody(options: { optional?: boolean } = {}): RequestHandler {
  return (req, res, next) => {
    const bytes: Buffer = Buffer.isBuffer(res.locals.rawBody) ? res.locals.rawBody : Buffer.alloc(0);
    if (bytes.length === 0 && options.optional) {
      req.body = undefined;
      return next();
    }
    const typeProblem = contentTypeProblem(req.headers['content-type']);
    if (typeProblem) return next(new HttpError(415, 'unsupported_media_type', typeProblem));
    if (bytes.length === 0) return next(new HttpError(400, 'empty_body', 'the request body is empty; expected a JSON object'));
    const badByte = utf8ErrorOffset(bytes);
    if (badByte !== undefined) {
      return next(new HttpError(400, 'invalid_utf8', `the body is not valid UTF-8: decoding fails at byte ${badByte}`));
    }
    // Some senders (.NET, PowerShell) start with a byte order mark, which JSON.parse refuses.
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    try {
      req.body = JSON.parse(text) as unknown;
    } catch {
      return next(new HttpError(400, 'malformed_json', `the body is not valid JSON ${describeJsonError(text)}`));
    }
    next();
  };
}

/** Both steps, for routes that need no check between reading and parsing. */
export function jsonBody(limitBytes: number, options: { optional?: boolean } = {}): RequestHandler[] {
  return [readRawBody(limitBytes), parseJsonBody(options)];
}

function contentTypeProblem(header: string | undefined): string | undefined {
  const mediaType = header === undefined ? undefined : parsedContentType(header);
  if (!mediaType || !/^application\/([\w.+-]+\+)?json$/.test(mediaType.type)) {
    return `Content-Type must be application/json, got "${header ? shortText(header, 100) : 'none'}"`;
  }
  const charset = mediaType.parameters.charset?.toLowerCase();
  if (charset !== undefined && !['utf-8', 'utf8', 'us-ascii'].includes(charset)) {
    return `JSON bodies must be UTF-8, got charset "${shortText(charset, 40)}"`;
  }
  return undefined;
}

/** The header as express reads it (the same content-type package); undefined when it cannot be parsed. */
function parsedContentType(header: string): ReturnType<typeof parseContentType> | undefined {
  try {
    return parseContentType(header);
  } catch {
    return undefined;
  }
}

/** body-parser's errors, as answers that name the limit and the setting that changes it. */
function bodyReadError(err: unknown, limitBytes: number): unknown {
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.too.large') {
    return new HttpError(413, 'payload_too_large', `the body is larger than the limit of ${limitBytes} bytes (ingest.bodyLimit)`);
  }
  if (type === 'encoding.unsupported') {
    return new HttpError(415, 'unsupported_content_encoding', 'Content-Encoding must be identity, gzip, deflate or br');
  }
  return err;
}
