import { boundEvent } from './bounded-event';
import type { AlertEvent } from './event';
import { alertmanagerPayloadSchema, type AlertmanagerAlert, type AlertmanagerPayload } from './alertmanager-payload';
import { describeZodError, invalid, type ParseResult } from './parse-result';
import { definedOnly, firstText, urlHost } from './pick';
import { alertmanagerSeverity } from './severity';
import { toIsoTime } from './time';

/** Validates an Alertmanager webhook body (unknown JSON) and normalizes it. */
export function parseAlertmanager(body: unknown): ParseResult {
  const parsed = alertmanagerPayloadSchema.safeParse(body);
  if (!parsed.success) return invalid(`not an Alertmanager webhook (version 4) payload: ${describeZodError(parsed.error)}`);
  return { kind: 'events', events: normalizeAlertmanager(parsed.data).map(boundEvent) };
}

/** One event per alert of the group; firing and resolved alerts of one message are kept apart by status. */
export function normalizeAlertmanager(payload: AlertmanagerPayload): AlertEvent[] {
  const firingCount = payload.alerts.filter((alert) => alert.status === 'firing').length;
  const group = definedOnly({
    firingCount,
    resolvedCount: payload.alerts.length - firingCount,
    groupKey: payload.groupKey,
    receiver: payload.receiver,
    externalURL: firstText(payload.externalURL),
    // Alerts cut off by max_alerts are not resolved, only unseen: templates should say so.
    truncatedAlerts: payload.truncatedAlerts ? payload.truncatedAlerts : undefined,
  });
  // A misconfigured --web.external-url that is no URL is still stable, just less readable.
  const scope = `alertmanager:${urlHost(payload.externalURL) ?? payload.externalURL ?? ''}:${payload.receiver ?? ''}`;
  return payload.alerts.map((alert) => normalizeAlert(alert, payload, scope, group));
}

function normalizeAlert(
  alert: AlertmanagerAlert,
  payload: AlertmanagerPayload,
  scope: string,
  group: Record<string, string | number>,
): AlertEvent {
  const { labels, annotations } = alert;
  // Receiver and Alertmanager host scope the key, as docs/payloads.md §4.4 asks: two clusters both
  // firing a label-identical "Watchdog" must not silence each other, while HA peers (which share
  // --web.external-url) and repeat notifications land on the same key.
  const dedupKey = `${scope}:${alert.fingerprint}`;
  const resolved = alert.status === 'resolved';
  return {
    source: 'alertmanager',
    status: alert.status,
    severity: alertmanagerSeverity(labels.severity),
    title: firstText(annotations.summary, annotations.title, annotations.message, labels.alertname) ?? 'Alertmanager alert',
    message: firstText(annotations.description),
    culprit: firstText(labels.instance, labels.pod),
    project: firstText(labels.project, labels.service, labels.job),
    environment: firstText(labels.environment, labels.env, labels.cluster),
    url: firstText(alert.generatorURL, payload.externalURL),
    labels: { ...labels },
    annotations: { ...annotations },
    occurredAt: toIsoTime(alert.startsAt) ?? alert.startsAt,
    endedAt: resolved ? toIsoTime(alert.endsAt) : undefined,
    dedupKey,
    // The raw times, not the normalized ones: a repeat of the same webhook is byte-identical here.
    identity: `${dedupKey}:${alert.status}:${alert.startsAt}:${alert.endsAt ?? ''}`,
    extra: { ...group, ...definedOnly({ runbookUrl: firstText(annotations.runbook_url) }) },
  };
}
