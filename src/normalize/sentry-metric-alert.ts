import { createHash } from 'node:crypto';
import type { AlertEvent, AlertStatus, Severity } from './event';
import type { SentryMetricAlertEnvelope } from './sentry-payload';
import { definedOnly, firstText, ownValue } from './pick';
import { toIsoTime } from './time';

/** The action is the incident's status name; which of them notify is `sentry.notifyOn.metric_alert`. */
const METRIC_ALERT_ACTIONS: Readonly<Record<string, { status: AlertStatus; severity?: Severity }>> = {
  critical: { status: 'firing', severity: 'critical' },
  warning: { status: 'firing', severity: 'warning' },
  resolved: { status: 'resolved' },
};

export function normalizeSentryMetricAlert(envelope: SentryMetricAlertEnvelope, now: Date): AlertEvent {
  const { metric_alert: incident, description_title: title, description_text: text, web_url: url } = envelope.data;
  const action = ownValue(METRIC_ALERT_ACTIONS, envelope.action) ?? { status: 'firing' };
  const rule = incident.alert_rule;
  const dedupKey = `sentry:${envelope.installation.uuid}:metric_alert:${incident.id}`;
  const resolved = action.status === 'resolved';
  return {
    source: 'sentry',
    status: action.status,
    severity: action.severity ?? ruleSeverity(rule?.triggers),
    title: firstText(title, incident.title, rule?.name) ?? `Metric alert ${incident.id}`,
    message: firstText(text),
    project: firstText(incident.projects?.[0], rule?.projects?.[0]),
    environment: firstText(rule?.environment),
    url: firstText(url),
    labels: {},
    annotations: {},
    occurredAt: toIsoTime(incident.date_started) ?? toIsoTime(incident.date_detected) ?? toIsoTime(incident.date_created) ?? now.toISOString(),
    endedAt: resolved ? toIsoTime(incident.date_closed) : undefined,
    dedupKey,
    // One incident goes critical -> warning -> critical; the measured value in the text tells
    // those notifications apart, while a retry of one of them carries the same text.
    identity: `${dedupKey}:metric_alert.${envelope.action}:${shortHash(`${title ?? ''}\n${text ?? ''}`)}`,
    extra: definedOnly({
      incidentId: incident.id,
      incidentIdentifier: firstText(incident.identifier),
      alertRule: firstText(rule?.name),
      aggregate: firstText(rule?.aggregate),
      query: firstText(rule?.query),
    }),
  };
}

// A resolve does not say which trigger had fired; use the rule's most severe one, so a route for
// "critical" still receives the resolve of its critical incident.
function ruleSeverity(triggers: readonly { label?: string | null }[] | null | undefined): Severity {
  const labels = (triggers ?? []).map((trigger) => trigger.label?.toLowerCase());
  return labels.includes('critical') ? 'critical' : 'warning';
}

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}
