import type { RequestHandler } from 'express';
import type { Config } from '../../config/schema';
import { presentedCredentials } from './request-credentials';
import { isOpen, noCredentialFor } from './route-access';
import { TOKEN_HOW, tokenMatches, unauthorized } from './require-token';
import { sameSecret } from './same-secret';

/**
 * /webhook/alertmanager: Alertmanager does not sign, but its http_config sends basic auth
 * (`auth.alertmanager`) or a bearer token (the shared `auth.token`); either one is enough when
 * both are configured. Open only when the route is (no credential at all, or auth.allowOpen);
 * with neither of its own configured it refuses everything. Reads only headers, so it runs before
 * the body is read: a wrong credential costs the sender no upload.
 */
export function alertmanagerAuth(auth: Partial<Config['auth']>): RequestHandler {
  const basic = auth.alertmanager;
  const tokens = auth.token ? [auth.token] : [];
  const accepted = [basic && 'basic auth (auth.alertmanager)', tokens.length > 0 && `the shared token (${TOKEN_HOW})`].filter(Boolean).join(' or ');
  const challenge = [basic && 'Basic realm="notification-gateway"', tokens.length > 0 && 'Bearer realm="notification-gateway"'].filter(Boolean).join(', ');
  const open = isOpen(auth, '/webhook/alertmanager');
  return (req, _res, next) => {
    if (open) return next();
    if (!basic && tokens.length === 0) return next(noCredentialFor('/webhook/alertmanager', 'auth.alertmanager (basic auth) or auth.token'));
    const credentials = presentedCredentials(req);
    const given = credentials.basic;
    // Both halves are compared every time, so a right user name is not faster to reject.
    const basicOk = basic !== undefined && given !== undefined && [sameSecret(given.username, basic.username), sameSecret(given.password, basic.password)].every(Boolean);
    if (basicOk || tokenMatches(credentials, tokens)) return next();
    next(unauthorized(credentials, accepted, challenge));
  };
}
