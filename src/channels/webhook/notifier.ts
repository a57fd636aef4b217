import type { Channel, RenderedMessage, RequestPreview, SendReceipt } from '../channel';
import { PermanentDeliveryError } from '../delivery-errors';
import { parseJson } from '../provider-http';
import { REDACTED, secretRedactor } from '../../secrets/redact';
import { isJsonContentType, type WebhookChannelConfig } from './config';
import { webhookFailure } from './classify-answer';
import { bodyProblem, buildWebhookRequest } from './request';
import { webhookSecrets } from './secrets';
import { SIGNATURE_HEADER } from './sign';
import { sendWebhookRequest } from './send-request';

/** Posts (or puts) each message to the operator's own receiver: any 2xx is delivered. */
export function createWebhookChannel(name: string, config: WebhookChannelConfig): Channel {
  const redact = secretRedactor(webhookSecrets(config));

  return {
    name,
    type: 'webhook',
    preview: (message) => preview(config, message, redact),
    async send(message: RenderedMessage, signal: AbortSignal): Promise<SendReceipt> {
      const request = buildWebhookRequest(config, message);
      const problem = bodyProblem(config, request);
      // The same template gives the same broken body on every attempt.
      if (problem) throw new PermanentDeliveryError('renderError', redact(problem));
      const answer = await sendWebhookRequest(request, signal, redact);
      if (answer.status >= 200 && answer.status < 300) return {};
      throw webhookFailure(answer, redact);
    },
  };
}

/** The exact request, credentials masked; the signature too (it is only a function of the body, but never shown, §8). */
function preview(config: WebhookChannelConfig, message: RenderedMessage, redact: (s: string) => string): RequestPreview {
  const request = buildWebhookRequest(config, message);
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, k === SIGNATURE_HEADER ? `sha256=${REDACTED}` : redact(v)]));
  const raw = redact(request.body.toString('utf8'));
  // A JSON body is shown as JSON, so the dry run reads like the receiver's view of it.
  const body = isJsonContentType(config.contentType) ? (parseJson(raw) ?? raw) : raw;
  return { method: request.method, url: redact(request.url), headers, body };
}
