import type { RenderedMessage } from '../channel';
import type { Severity } from '../../normalize/event';
import { isJsonContentType, type WebhookChannelConfig } from './config';
import { SIGNATURE_HEADER, signatureOf } from './sign';

/** One request to the receiver, its body serialised once: what is signed is what is sent. */
export interface WebhookRequest {
  method: 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The request for one message. With a `template`, its output is the body as it is (rendered
 * with JSON string escaping when the content type is JSON); without, the body is the default
 * JSON document (README, "Generic webhook").
 */
export function buildWebhookRequest(config: WebhookChannelConfig, message: RenderedMessage): WebhookRequest {
  const body = Buffer.from(config.template ? message.text : JSON.stringify(defaultBody(message)), 'utf8');
  const headers: Record<string, string> = { ...config.headers, 'Content-Type': config.contentType };
  if (config.secret) headers[SIGNATURE_HEADER] = signatureOf(config.secret, body);
  return { method: config.method, url: config.url, headers, body };
}

/**
 * The body without a template: the normalized event (src/normalize/event.ts; docs/payloads.md
 * §5), the rendered headline and text, and the colour chat cards use for its state, so a
 * receiver can act on the facts, or just show the text in that colour.
 */
export function defaultBody(message: RenderedMessage): Record<string, unknown> {
  return { event: message.event, title: message.title, text: message.text, color: colorOf(message) };
}

// Red for critical and error, orange for warning, blue for info, green once resolved.
const SEVERITY_COLORS: Record<Severity, string> = { critical: '#d93025', error: '#d93025', warning: '#f29900', info: '#1a73e8' };
const RESOLVED_COLOR = '#1e8e3e';

function colorOf({ status, severity }: RenderedMessage): string | undefined {
  if (status === 'resolved') return RESOLVED_COLOR;
  return severity && SEVERITY_COLORS[severity];
}

/** Whether a template's output can be sent: a JSON content type promises the receiver JSON. */
export function bodyProblem(config: WebhookChannelConfig, request: WebhookRequest): string | undefined {
  if (!config.template || !isJsonContentType(config.contentType)) return undefined;
  try {
    JSON.parse(request.body.toString('utf8'));
    return undefined;
  } catch (err) {
    return `the template ${config.template} did not produce valid JSON for ${config.contentType}: ${(err as Error).message}`;
  }
}
