import type { RequestHandler } from 'express';
import { presentedCredentials } from './request-credentials';
import { noCredentialFor } from './route-access';
import { tokenMatches, unauthorized } from './require-token';
import { sameSecret } from './same-secret';

const ACCEPTED = 'the admin token (or, without one, the shared token) as Authorization: Bearer <token>, or HTTP basic auth with any user name and the token as password';
// A basic challenge makes a browser ask for a user name and password, so the dashboard can be opened without tools.
const CHALLENGE = 'Basic realm="notification-gateway admin", charset="UTF-8"';

/**
 * Guards the operator's routes (/admin/queues, /deliveries): a Bearer token (or ?token=), or basic
 * auth whose password is the token. Open only when `access.open`; a closed route without any of
 * `tokens` configured refuses everything, saying what to configure.
 */
export function requireAdmin(tokens: readonly (string | undefined)[], access: { route: string; open: boolean }): RequestHandler {
  const configured = tokens.filter((token): token is string => Boolean(token));
  return (req, _res, next) => {
    if (access.open) return next();
    if (configured.length === 0) return next(noCredentialFor(access.route, 'auth.adminToken or auth.token'));
    const credentials = presentedCredentials(req);
    const password = credentials.basic?.password;
    const basicMatches = password !== undefined && configured.map((token) => sameSecret(password, token)).includes(true);
    if (basicMatches || tokenMatches(credentials, configured)) return next();
    next(unauthorized(credentials, ACCEPTED, CHALLENGE));
  };
}
