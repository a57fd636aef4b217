import type { RenderedMessage } from '../render/rendered-message';

export type { RenderedMessage };

export interface SendReceipt {
  /** The provider's own message id, when it returns one. */
  providerMessageId?: string;
  /** Delivered, but something the operator should know (skipped recipients); the worker logs it at warn. */
  warning?: string;
}

/** The HTTP request send() would make, with secrets masked: what /test?dryRun=1 shows. */
export interface RequestPreview {
  method: 'POST' | 'PUT' | 'PRINT';
  url: string;
  /** The request's headers, credentials masked, for channels whose headers are configured. */
  headers?: Record<string, string>;
  body: unknown;
}

/**
 * One configured chat destination. send() resolves only when the provider confirmed
 * delivery; otherwise it throws RetryableDeliveryError, RateLimitedError or
 * PermanentDeliveryError. Channels never retry, sleep or log: the queue does that.
 */
export interface Channel {
  readonly name: string;
  readonly type: string;
  send(message: RenderedMessage, signal: AbortSignal): Promise<SendReceipt>;
  preview(message: RenderedMessage): RequestPreview;
}
