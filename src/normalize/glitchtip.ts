import { createHash } from 'node:crypto';
import type { AlertEvent, AlertStatus, Severity } from './event';
import type { GlitchtipAttachment, GlitchtipPayload } from './glitchtip-payload';
import { definedOnly, firstText, ownValue, urlHost } from './pick';

/**
 * A GlitchTip body is recognised by its shape (it sends no header of its own): a Slack-compatible
 * `text` with `attachments`. Used only when no Sentry-Hook-Resource header came.
 */
export function looksLikeGlitchtip(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'attachments' in body && ('text' in body || 'alias' in body);
}

// Issue.get_hex_color(): error and fatal, info; everything else (warning, debug) sends null.
const COLOR_SEVERITY: Readonly<Record<string, Severity>> = { '#e52b50': 'error', '#4b60b4': 'info' };

/** One event per attachment: GlitchTip puts up to MAX_ISSUES_PER_ALERT issues in one alert. */
export function normalizeGlitchtip(payload: GlitchtipPayload, now: Date): AlertEvent[] {
  return payload.attachments.map((attachment, i) => normalizeAttachment(payload, attachment, payload.sections?.[i]?.activitySubtitle, now));
}

function normalizeAttachment(payload: GlitchtipPayload, attachment: GlitchtipAttachment, subtitle: string | null | undefined, now: Date): AlertEvent {
  const link = parseLink(attachment.title_link);
  const uptime = link?.kind === 'uptime-monitors' || payload.text.trim() === 'GlitchTip Uptime Alert';
  // Uptime alerts say "…has gone down." and "…is back up."; issue alerts never resolve.
  const status: AlertStatus = uptime && /\bback up\b/i.test(attachment.text ?? '') ? 'resolved' : 'firing';
  const fields = fieldLabels(attachment.fields);
  const dedupKey = link
    ? `glitchtip:${link.host}:${link.org}:${link.kind === 'issues' ? 'issue' : 'uptime'}:${link.id}`
    : `glitchtip:${urlHost(attachment.title_link) ?? ''}:title:${shortHash(attachment.title)}`;
  return {
    source: 'sentry',
    status,
    severity: uptime ? 'error' : (ownValue(COLOR_SEVERITY, attachment.color?.toLowerCase() ?? '') ?? 'warning'),
    title: firstText(attachment.title) ?? payload.text,
    message: uptime ? firstText(attachment.text) : undefined,
    culprit: uptime ? undefined : firstText(attachment.text),
    project: firstText(fields.project),
    environment: firstText(fields.environment),
    release: firstText(fields.release),
    url: firstText(attachment.title_link),
    labels: fields,
    annotations: {},
    // The body carries no time: it is sent when the alert is evaluated.
    occurredAt: now.toISOString(),
    dedupKey,
    // GlitchTip never retries a webhook (docs/payloads.md §3.2), so there is no redelivery to fold;
    // the arrival time keeps a second rule, or the next outage of a monitor, from being taken for one.
    identity: `${dedupKey}:${status}:${now.toISOString()}`,
    extra: definedOnly({
      sender: 'GlitchTip',
      alertText: firstText(payload.text),
      issueId: link?.kind === 'issues' ? link.id : undefined,
      monitorId: link?.kind === 'uptime-monitors' ? link.id : undefined,
      shortId: subtitle?.match(/View Issue ([^\]\s]+)\]/)?.[1],
    }),
  };
}

/** Fields as labels: "Server Name" -> server_name, "Customer" -> customer. */
function fieldLabels(fields: GlitchtipAttachment['fields']): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const field of fields ?? []) {
    const name = field.title.trim().toLowerCase().replace(/\s+/g, '_');
    if (name !== '' && field.value !== null && field.value !== undefined) labels[name] = field.value;
  }
  return labels;
}

interface GlitchtipLink {
  host: string;
  org: string;
  kind: 'issues' | 'uptime-monitors';
  id: string;
}

function parseLink(link: string | null | undefined): GlitchtipLink | undefined {
  if (!link || !URL.canParse(link)) return undefined;
  const url = new URL(link);
  const match = /\/([^/]+)\/(issues|uptime-monitors)\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) return undefined;
  const [, org, kind, id] = match;
  return { host: url.host, org: org!, kind: kind as GlitchtipLink['kind'], id: id! };
}

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}
