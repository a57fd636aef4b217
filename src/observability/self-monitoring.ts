import type { ErrorEvent } from '@sentry/node';

/** Where the gateway's own unexpected errors go: Sentry when SENTRY_DSN is set, nowhere otherwise. */
export interface SelfMonitor {
  /** A bug of the gateway (an unexpected error), never an alert's failure the provider explained. */
  report(err: unknown, where: string): void;
  /** Sends what is still buffered (bounded), then stops. */
  close(): Promise<void>;
}

const OFF: SelfMonitor = { report: () => undefined, close: async () => undefined };
const CLOSE_TIMEOUT_MS = 2000;

export interface SelfMonitorOptions {
  dsn?: string;
  release: string;
  /** Every configured secret out of each event, wherever it appears (an error message, a stack frame's text). */
  redact: (text: string) => string;
}

/**
 * Self-monitoring with @sentry/node (README, "History and the web page"). Only what the gateway
 * reports goes out: no default integrations (no request bodies, no breadcrumbs of log lines, no
 * auto-instrumentation), and beforeSend drops request data, users and extras and redacts the rest.
 * The SDK is loaded only when a DSN is set.
 */
export function createSelfMonitor(options: SelfMonitorOptions): SelfMonitor {
  if (!options.dsn) return OFF;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when configured, see above
  const Sentry = require('@sentry/node') as typeof import('@sentry/node');
  const client = Sentry.initWithoutDefaultIntegrations({
    dsn: options.dsn,
    release: `notification-gateway@${options.release}`,
    integrations: [],
    beforeBreadcrumb: () => null,
    beforeSend: (event) => scrubbed(event, options.redact),
  });
  if (!client) return OFF;
  return {
    report(err, where) {
      client.captureException(err, { captureContext: { tags: { where } } });
    },
    async close() {
      await client.close(CLOSE_TIMEOUT_MS);
    },
  };
}

/** No request, user or extra data leaves the process; every remaining text is redacted. */
export function scrubbed(event: ErrorEvent, redact: (text: string) => string): ErrorEvent {
  const rest: ErrorEvent = { ...event };
  for (const key of ['request', 'user', 'extra', 'breadcrumbs'] as const) delete rest[key];
  return JSON.parse(redact(JSON.stringify(rest))) as ErrorEvent;
}
