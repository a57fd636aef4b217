import type { Request, RequestHandler } from 'express';
import type { Config } from '../../config/schema';
import { HttpError } from '../http-error';
import { presentedCredentials } from './request-credentials';
import { TOKEN_HOW, tokenMatches, unauthorized } from './require-token';
import { staleTimestampProblem } from './sentry-timestamp';
import { checkSentrySignature } from './verify-sentry-signature';

/**
 * /webhook/sentry (DESIGN.md "Security"). With a client secret configured, a request passes with
 * a valid Sentry-Hook-Signature, or, for senders that cannot sign (legacy plugin, GlitchTip), with
 * the shared token. A request that does carry a signature must carry a valid one: a signing sender
 * whose signature fails is a changed body or the wrong secret, whatever token it also brings.
 * Without a client secret the shared token alone guards the route; with neither it is open.
 * Runs after the raw body was read (the signature covers it) and before anything parses it.
 */
export function sentryAuth(auth: Config['auth'], now: () => number = Date.now): RequestHandler {
  const secret = auth.sentry?.clientSecret;
  const maxAgeMs = auth.sentry?.maxAge;
  const tokens = auth.token ? [auth.token] : [];
  const accepted = [secret && 'a Sentry-Hook-Signature made with the client secret (auth.sentry.clientSecret)', tokens.length > 0 && `the shared token (${TOKEN_HOW})`]
    .filter(Boolean)
    .join(' or ');
  const hint = secret && tokens.length === 0 ? '; GlitchTip and the legacy plugin cannot sign: configure auth.token and add ?token= to their URL' : '';

  const authenticate = (req: Request, rawBody: Buffer): HttpError | undefined => {
    if (!secret && tokens.length === 0) return undefined;
    const credentials = presentedCredentials(req);
    const signature = secret ? checkSentrySignature(rawBody, req.get('sentry-hook-signature'), secret) : 'missing';
    if (signature === 'invalid') {
      return new HttpError(401, 'invalid_signature', 'Sentry-Hook-Signature does not match the body (hex HMAC-SHA256 of the raw body with auth.sentry.clientSecret)');
    }
    if (signature === 'valid' || tokenMatches(credentials, tokens)) return undefined;
    return unauthorized(credentials, accepted, 'Bearer realm="notification-gateway"', hint);
  };

  return (req, res, next) => {
    const refused = authenticate(req, res.locals.rawBody as Buffer);
    if (refused) return next(refused);
    // Only Integration Platform deliveries carry the timestamp; the legacy plugin and GlitchTip never do.
    if (maxAgeMs !== undefined && req.get('sentry-hook-resource') !== undefined) {
      const problem = staleTimestampProblem(req.get('sentry-hook-timestamp'), maxAgeMs, now());
      if (problem) return next(new HttpError(401, 'stale_timestamp', problem));
    }
    next();
  };
}
