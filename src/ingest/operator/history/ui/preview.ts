import { parseAlertmanager } from '../../../../normalize/alertmanager';
import type { AlertEvent } from '../../../../normalize/event';
import { parseSentry } from '../../../../normalize/sentry';
import type { Renderer, RenderTarget } from '../../../../render/render';
import type { TemplateSet } from '../../../../render/rendered-message';
import { sampleAlertmanagerPayload, sampleSentryEventAlert } from '../../samples';

/** Each provider's size limit for one message (docs/providers.md): what the preview measures against. */
export const MESSAGE_LIMITS: Readonly<Record<TemplateSet, { max: number; unit: 'characters' | 'bytes' } | undefined>> = {
  // Telegram counts characters after entity parsing; the markup's own characters are counted here too, so this errs on the safe side.
  telegram: { max: 4096, unit: 'characters' },
  wecom: { max: 4096, unit: 'bytes' },
  dingtalk: { max: 20_000, unit: 'bytes' },
  console: undefined,
  // Slack cuts a message near 4,000 characters; Feishu's whole request is under 20 KB; a WeCom app's markdown is 2,048 bytes.
  slack: { max: 4000, unit: 'characters' },
  feishu: { max: 20_000, unit: 'bytes' },
  'wecom-app': { max: 2048, unit: 'bytes' },
  webhook: undefined,
};

export interface PreviewRequest {
  /** `sample:sentry`, `sample:alertmanager`, or `paste`. */
  input: string;
  /** Pasted: which webhook it came to, and for Sentry the Sentry-Hook-Resource header. */
  source: 'sentry' | 'alertmanager';
  resource?: string;
  payload?: string;
  channels: string[];
}

export interface PreviewResult {
  channel: string;
  type: TemplateSet;
  title: string;
  text: string;
  size: number;
  limit?: { max: number; unit: string };
  /** The template failed on this event. */
  error?: string;
}

/** Renders a sample or a pasted payload for the chosen channels; nothing is queued or sent. */
export function renderPreview(request: PreviewRequest, renderer: Renderer, targets: ReadonlyMap<string, RenderTarget>): { events: number; results: PreviewResult[] } | { error: string } {
  const events = eventsOf(request);
  if ('error' in events) return events;
  const results = events.flatMap((event) =>
    request.channels.flatMap((name) => {
      const target = targets.get(name);
      if (!target) return [];
      const limit = MESSAGE_LIMITS[target.type];
      try {
        const message = renderer.render(event, target);
        const size = limit?.unit === 'characters' ? Array.from(message.text).length : Buffer.byteLength(message.text, 'utf8');
        return [{ channel: name, type: target.type, title: message.title, text: message.text, size, ...(limit && { limit }) }];
      } catch (err) {
        return [{ channel: name, type: target.type, title: '', text: '', size: 0, error: (err as Error).message }];
      }
    }),
  );
  return { events: events.length, results };
}

function eventsOf(request: PreviewRequest): AlertEvent[] | { error: string } {
  const now = new Date();
  if (request.input === 'sample:alertmanager') return parsedOrError(parseAlertmanager(sampleAlertmanagerPayload(now)));
  if (request.input === 'sample:sentry') return parsedOrError(parseSentry('event_alert', sampleSentryEventAlert(now)));
  let body: unknown;
  try {
    body = JSON.parse(request.payload ?? '');
  } catch (err) {
    return { error: `the pasted payload is not JSON: ${(err as Error).message}` };
  }
  return parsedOrError(request.source === 'alertmanager' ? parseAlertmanager(body) : parseSentry(request.resource || undefined, body, now));
}

function parsedOrError(parsed: ReturnType<typeof parseAlertmanager>): AlertEvent[] | { error: string } {
  if (parsed.kind === 'events') return parsed.events;
  if (parsed.kind === 'invalid') return { error: `not a payload the gateway takes: ${parsed.message}` };
  return { error: `the gateway sends nothing for this payload: ${parsed.reason}` };
}
