import type { Request, RequestHandler } from 'express';
import type { Config } from '../../config/schema';
import { HttpError } from '../http-error';
import { presentedCredentials, type PresentedCredentials } from './request-credentials';
import { TOKEN_HOW, tokenMatches, unauthorized } from './require-token';
import { staleTimestampProblem } from './sentry-timestamp';
import { isOpen, noCredentialFor } from './route-access';
import { checkSentrySignature } from './verify-sentry-signature';

const ROUTE = '/webhook/sentry';
const NO_CREDENTIAL_HOW = 'auth.token (add ?token= to the sender\'s URL) or auth.sentry.clientSecret';

/**
 * /webhook/sentry (README, "Securing each sender"). With a client secret configured, a request passes with
 * a valid Sentry-Hook-Signature, or, for senders that cannot sign (legacy plugin, GlitchTip), with
 * the shared token. A request that does carry a signature must carry a valid one: a signing sender
 * whose signature fails is a changed body or the wrong secret, whatever token it also brings.
 * Without a client secret the shared token alone guards the route. It is open only when no
 * credential is configured at all or auth.allowOpen names it; closed with neither of its own
 * configured, it refuses everything. Runs after the raw body was read (the signature covers it)
 * and before anything parses it; `sentryAuthBeforeBody` refuses what it can from headers alone.
 */
export function sentryAuth(auth: Partial<Config['auth']>, now: () => number = Date.now): RequestHandler {
  const secret = auth.sentry?.clientSecret;
  const maxAgeMs = auth.sentry?.maxAge;
  const tokens = auth.token ? [auth.token] : [];

  const open = isOpen(auth, ROUTE);
  const authenticate = (req: Request, rawBody: Buffer): HttpError | undefined => {
    if (open) return undefined;
    if (!secret && tokens.length === 0) return noCredentialFor(ROUTE, NO_CREDENTIAL_HOW);
    const credentials = presentedCredentials(req);
    const signature = secret ? checkSentrySignature(rawBody, req.get('sentry-hook-signature'), secret) : 'missing';
    if (signature === 'invalid') {
      return new HttpError(401, 'invalid_signature', 'Sentry-Hook-Signature does not match the body (hex HMAC-SHA256 of the raw body with auth.sentry.clientSecret)');
    }
    if (signature === 'valid' || tokenMatches(credentials, tokens)) return undefined;
    return refusal(auth, credentials);
  };

  return (req, res, next) => {
    if (open) return next();
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

/**
 * What can be refused before the body is read: a request without a signature passes only with the
 * shared token, which is in its headers or query. A signed request waits for its body (the
 * signature covers it); a wrong token is then answered without the server reading any upload.
 */
export function sentryAuthBeforeBody(auth: Partial<Config['auth']>): RequestHandler {
  const secret = auth.sentry?.clientSecret;
  const tokens = auth.token ? [auth.token] : [];
  const open = isOpen(auth, ROUTE);
  return (req, _res, next) => {
    if (open) return next();
    if (!secret && tokens.length === 0) return next(noCredentialFor(ROUTE, NO_CREDENTIAL_HOW));
    if (secret && req.get('sentry-hook-signature') !== undefined) return next();
    const credentials = presentedCredentials(req);
    if (tokenMatches(credentials, tokens)) return next();
    next(refusal(auth, credentials));
  };
}

/** The 401 that names every credential this route accepts, with the way out for senders that cannot sign. */
function refusal(auth: Partial<Config['auth']>, credentials: PresentedCredentials): HttpError {
  const secret = auth.sentry?.clientSecret;
  const accepted = [secret && 'a Sentry-Hook-Signature made with the client secret (auth.sentry.clientSecret)', auth.token && `the shared token (${TOKEN_HOW})`]
    .filter(Boolean)
    .join(' or ');
  const hint = secret && !auth.token ? '; GlitchTip and the legacy plugin cannot sign: configure auth.token and add ?token= to their URL' : '';
  return unauthorized(credentials, accepted, 'Bearer realm="notification-gateway"', hint);
}
