import { z } from 'zod';
import { labelsFingerprint } from './alertmanager-fingerprint';

// Alertmanager webhook_config payload, version "4" (docs/payloads.md §4.1). Objects are not .strict():
// newer releases add fields (notification_reason in 0.32, routeLabels in 0.34) and must keep working.

const stringMap = z.record(z.string(), z.string());

const time = z.string().refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected an RFC 3339 time' });

const alertSchema = z
  .object({
    status: z.enum(['firing', 'resolved']),
    // Alertmanager always sends labels (with alertname); other senders of this format may not.
    labels: stringMap.default({}),
    annotations: stringMap.default({}),
    startsAt: time,
    // "0001-01-01T00:00:00Z" for firing alerts: a sentinel, not a time.
    endsAt: time.optional(),
    generatorURL: z.string().optional(),
    fingerprint: z.string().optional(),
  })
  .transform((alert) => ({ ...alert, fingerprint: alert.fingerprint || labelsFingerprint(alert.labels) }));

/**
 * Each alert becomes a message, so one request must not turn into tens of thousands of them
 * (17 000 minimal alerts fit in 1 MiB). Alertmanager's own `max_alerts` keeps a real group below
 * this and says how many were left out.
 */
export const MAX_ALERTS_PER_REQUEST = 1000;

export const alertmanagerPayloadSchema = z.object({
  version: z.literal('4'),
  alerts: z
    .array(alertSchema)
    .min(1, { message: 'expected at least one alert' })
    .max(MAX_ALERTS_PER_REQUEST, { message: `at most ${MAX_ALERTS_PER_REQUEST} alerts per request; set max_alerts in the webhook_config` }),
  receiver: z.string().optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  groupLabels: stringMap.optional(),
  commonLabels: stringMap.optional(),
  commonAnnotations: stringMap.optional(),
  externalURL: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
});

export type AlertmanagerPayload = z.output<typeof alertmanagerPayloadSchema>;
export type AlertmanagerAlert = AlertmanagerPayload['alerts'][number];
