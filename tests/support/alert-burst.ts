import { randomBytes } from 'node:crypto';
import { sampleAlertmanagerPayload } from '../../src/ingest/operator/samples';

interface SampleAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  fingerprint: string;
}

/**
 * One Alertmanager group holding one alert per name; each alert is its own issue (fingerprint),
 * and its summary is the name, so the message a provider receives says which alert it carries.
 */
export function alertGroup(names: readonly string[]): Record<string, unknown> {
  const sample = sampleAlertmanagerPayload(new Date()) as { alerts: SampleAlert[] } & Record<string, unknown>;
  const template = sample.alerts[0]!;
  const alerts = names.map((name) => ({
    ...template,
    labels: { ...template.labels, alertname: name },
    annotations: { ...template.annotations, summary: name },
    fingerprint: randomBytes(8).toString('hex'),
  }));
  return { ...sample, alerts };
}

/** The distinct alert names (matches of `pattern`) in a provider request's message text. */
export function namesIn(body: unknown, pattern: RegExp): string[] {
  const text = String((body as { text?: unknown } | undefined)?.text ?? '');
  return [...new Set(text.match(new RegExp(pattern.source, 'g')) ?? [])];
}
