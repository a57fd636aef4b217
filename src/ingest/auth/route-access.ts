import type { Config } from '../../config/schema';
import { GUARDED_ROUTES, type GuardedRoute } from '../config';
import { HttpError } from '../http-error';

type Auth = Config['auth'];

/** Any credential configured at all: without one, the gateway is in quick-start mode and every route is open. */
export function anyCredential(auth: Partial<Auth>): boolean {
  return Boolean(auth.token || auth.sentry?.clientSecret || auth.alertmanager || auth.adminToken);
}

/**
 * Open means no credential is asked for. A route is never open by accident: a credential set for
 * one sender closes every route, and only `auth.allowOpen` reopens one.
 */
export function isOpen(auth: Partial<Auth>, route: GuardedRoute): boolean {
  return !anyCredential(auth) || (auth.allowOpen ?? []).includes(route);
}

export function openRoutes(auth: Partial<Auth>): GuardedRoute[] {
  return GUARDED_ROUTES.filter((route) => isOpen(auth, route));
}

/** The answer for a closed route whose credential kind was not configured: nothing the sender presents could pass. */
export function noCredentialFor(route: string, howToConfigure: string): HttpError {
  return new HttpError(
    401,
    'no_credential_configured',
    `${route} is closed because credentials are configured for other routes, but none this route accepts: configure ${howToConfigure}, or list "${route}" in auth.allowOpen to leave it open`,
  );
}
