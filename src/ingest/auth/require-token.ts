import type { RequestHandler } from 'express';
import type { GuardedRoute } from '../config';
import { HttpError } from '../http-error';
import { noCredentialFor } from './route-access';
import { presentedCredentials, presentedAny, type PresentedCredentials } from './request-credentials';
import { sameSecret } from './same-secret';

export const TOKEN_HOW = 'Authorization: Bearer <token> or ?token=<token>';

/** True when the presented token equals one of the configured ones (each compared in constant time). */
export function tokenMatches(credentials: PresentedCredentials, tokens: readonly string[]): boolean {
  const given = credentials.token;
  if (given === undefined) return false;
  // Every token is compared, so the time taken does not say which one matched.
  return tokens.map((token) => sameSecret(given, token)).includes(true);
}

/** 401 with what was missing or wrong (never what was presented), and the challenge a client understands. */
export function unauthorized(credentials: PresentedCredentials, accepted: string, challenge: string, hint = ''): HttpError {
  const headers = { 'WWW-Authenticate': challenge };
  return presentedAny(credentials)
    ? new HttpError(401, 'invalid_credentials', `the credentials do not match; this route accepts ${accepted}${hint}`, headers)
    : new HttpError(401, 'missing_credentials', `this route requires ${accepted}${hint}`, headers);
}

/**
 * Lets a request through when it presents one of `tokens`, or when the route is open. A closed
 * route with none of `tokens` configured refuses everything, saying what to configure.
 * Used for /test, which sends messages. Reads only headers and the query, so it runs before the body.
 */
export function requireToken(tokens: readonly (string | undefined)[], access: { route: GuardedRoute; open: boolean }): RequestHandler {
  const configured = tokens.filter((token): token is string => Boolean(token));
  return (req, _res, next) => {
    if (access.open) return next();
    if (configured.length === 0) return next(noCredentialFor(access.route, 'auth.token or auth.adminToken'));
    const credentials = presentedCredentials(req);
    if (tokenMatches(credentials, configured)) return next();
    next(unauthorized(credentials, `a token (${TOKEN_HOW})`, 'Bearer realm="notification-gateway"'));
  };
}
