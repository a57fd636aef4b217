import type { RenderedMessage } from '../render/rendered-message';

export type { RenderedMessage };

export interface SendReceipt {
  /** The provider's own message id, when it returns one. */
  providerMessageId?: string;
  /** Delivered, but something the operator should know (skipped recipients); the worker logs it at warn. */
  warning?: string;
  /** Where that message is, when the provider says (Telegram's chat id and forum topic). */
  chatId?: string;
  threadId?: string;
  /** The provider refused the formatting and the same content went out as plain text: why. The worker logs it. */
  fallback?: string;
}

/** A later message about the same incident: a reply to the provider's message `replyTo`. */
export interface SendOptions {
  replyTo?: string;
}

/** An edit the provider confirmed; `unchanged` when the message already read exactly so ("not modified"). */
export interface EditReceipt {
  unchanged: boolean;
  fallback?: string;
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
  send(message: RenderedMessage, signal: AbortSignal, options?: SendOptions): Promise<SendReceipt>;
  preview(message: RenderedMessage): RequestPreview;
  /**
   * Only channels whose provider can change a sent message (Telegram; Slack with a bot token).
   * Throws MessageNotEditableError when the message is gone or too old: send a new one instead.
   */
  edit?(messageId: string, message: RenderedMessage, signal: AbortSignal): Promise<EditReceipt>;
}
