import { postToProvider, type ProviderAnswer } from '../provider-http';
import type { WebhookRequest } from './request';

/**
 * Sends the request's bytes as they are (the signature covers exactly them), by the operator's
 * method, and returns the answer whatever its status; a request that got no answer throws the
 * classified transport error. A redirect is never followed: it would take the credentials to
 * another host (docs/providers.md §8).
 */
export function sendWebhookRequest(request: WebhookRequest, signal: AbortSignal, redact: (s: string) => string): Promise<ProviderAnswer> {
  return postToProvider({ method: request.method, url: request.url, body: request.body, headers: request.headers, signal, redact });
}
