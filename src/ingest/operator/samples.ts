import { randomBytes } from 'node:crypto';

/**
 * Realistic payloads for POST /test, shaped like what the senders put on the wire, so a sample
 * takes the same path as a real alert. Fresh ids each call: a test is never taken for a retry.
 */
export function sampleAlertmanagerPayload(now: Date): unknown {
  const fingerprint = randomBytes(8).toString('hex');
  return {
    receiver: 'notification-gateway',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'HighErrorRate', job: 'checkout-api', instance: 'checkout-api-7d9f:8080', severity: 'critical', env: 'production' },
        annotations: {
          summary: 'Checkout API 5xx rate is 7.2% (threshold 5%)',
          description: 'More than 5% of requests to checkout-api failed with 5xx over the last 5 minutes.',
          runbook_url: 'https://runbooks.example.com/checkout/high-error-rate',
        },
        startsAt: now.toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example.com:9090/graph?g0.expr=job%3Acheckout_5xx%3Aratio5m+%3E+0.05&g0.tab=1',
        fingerprint,
      },
    ],
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate', job: 'checkout-api', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.com:9093',
    version: '4',
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
  };
}

export function sampleSentryEventAlert(now: Date): unknown {
  const eventId = randomBytes(16).toString('hex');
  const issueId = String(4_000_000_000 + (randomBytes(3).readUIntBE(0, 3) % 1_000_000));
  return {
    action: 'triggered',
    installation: { uuid: '7a485448-a9e2-4c85-8a3c-4f44175783c9' },
    data: {
      event: {
        event_id: eventId,
        project: 4508123,
        release: 'checkout-api@2.14.1',
        platform: 'python',
        message: '',
        datetime: now.toISOString(),
        tags: [['environment', 'production'], ['level', 'error'], ['release', 'checkout-api@2.14.1']],
        culprit: 'app.payments.pricing in price_cart',
        environment: 'production',
        exception: {
          values: [
            {
              type: 'ZeroDivisionError',
              value: 'division by zero',
              stacktrace: {
                frames: [
                  { filename: 'django/core/handlers/base.py', function: '_get_response', lineno: 197, in_app: false },
                  { filename: 'app/payments/pricing.py', function: 'price_cart', lineno: 42, in_app: true },
                ],
              },
            },
          ],
        },
        issue_id: issueId,
        level: 'error',
        metadata: { type: 'ZeroDivisionError', value: 'division by zero', filename: 'app/payments/pricing.py', function: 'price_cart' },
        title: 'ZeroDivisionError: division by zero',
        type: 'error',
        url: `https://sentry.io/api/0/projects/acme/checkout-api/events/${eventId}/`,
        web_url: `https://sentry.io/organizations/acme/issues/${issueId}/events/${eventId}/`,
        issue_url: `https://sentry.io/api/0/organizations/acme/issues/${issueId}/`,
      },
      triggered_rule: 'Notify ops on new errors (sample)',
    },
    actor: { type: 'application', id: 'sentry', name: 'Sentry' },
  };
}
