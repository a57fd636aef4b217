/**
 * The routes that take alerts, send messages or show state: once any credential is configured,
 * each needs one unless `auth.allowOpen` names it. "/deliveries" covers every /deliveries route
 * (status lookups, the failed list, retries); "/events" and "/errors" every history route, "/ui"
 * the web page, "/" the service info.
 */
export const GUARDED_ROUTES = ['/webhook/sentry', '/webhook/alertmanager', '/test', '/deliveries', '/events', '/errors', '/config', '/ui', '/'] as const;

export type GuardedRoute = (typeof GUARDED_ROUTES)[number];
