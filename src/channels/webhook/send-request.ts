import type { Readable } from 'node:stream';
import axios from 'axios';
import { classifyTransportError } from '../classify-response';
import { MAX_ANSWER_BYTES, type ProviderAnswer } from '../provider-http';
import { readCapped } from '../read-capped';
import type { WebhookRequest } from './request';

/**
 * Sends the request's bytes as they are, by its method (POST or PUT), and returns the answer
 * whatever its status; a request that got no answer throws the classified transport error.
 * Like postToProvider, but the body is raw bytes (the signature covers exactly them) and the
 * method is the operator's.
 */
export async function sendWebhookRequest(request: WebhookRequest, signal: AbortSignal, redact: (s: string) => string): Promise<ProviderAnswer> {
  try {
    const response = await axios.request<Readable>({
      method: request.method,
      url: request.url,
      data: request.body,
      headers: request.headers,
      signal,
      // A redirect to another host would take the credentials along (docs/providers.md §8).
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'stream',
      transitional: { clarifyTimeoutError: true },
    });
    const { bytes, cut } = await readCapped(response.data, MAX_ANSWER_BYTES);
    return { status: response.status, headers: response.headers, text: bytes.toString('utf8'), cut };
  } catch (err) {
    throw classifyTransportError(err, redact, signal);
  }
}
