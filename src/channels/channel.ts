/** What a template produced for one channel: the text, and the format it is written in. */
export interface RenderedMessage {
  text: string;
  /** Short plain-text headline (DingTalk markdown titles, logs). */
  title: string;
}

export interface SendReceipt {
  /** The provider's own message id, when it returns one. */
  providerMessageId?: string;
}

/** The HTTP request send() would make, with secrets masked: what /test?dryRun=1 shows. */
export interface RequestPreview {
  method: 'POST' | 'PRINT';
  url: string;
  body: unknown;
}

/**
 * One configured chat destination. send() resolves only when the provider confirmed
 * delivery; otherwise it throws RetryableDeliveryError, RateLimitedError or
 * PermanentDeliveryError. Channels never retry, sleep or log: the queue does that.
 */
export interface Channel {
  readonly name: string;
  readonly type: ChannelType;
  send(message: RenderedMessage, signal: AbortSignal): Promise<SendReceipt>;
  preview(message: RenderedMessage): RequestPreview;
}

export type ChannelType = 'telegram' | 'wecom' | 'dingtalk' | 'console';
