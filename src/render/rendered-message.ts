import type { Mentions } from '../mentions/mentions';
import type { AlertEvent, AlertStatus, Severity } from '../normalize/event';

/** What a template produced for one channel: the text, and a short headline. */
export interface RenderedMessage {
  text: string;
  /** Short plain-text headline (DingTalk markdown titles, logs). */
  title: string;
  /** The alert's state, for providers that colour a message by it (card headers, attachments). */
  status?: AlertStatus;
  severity?: Severity;
  /** The alert's link (already checked to be http(s)), for providers that take a button or a title link. */
  url?: string;
  /** The normalized event it was rendered from, for channels that send the facts themselves (the generic webhook's default body). */
  event?: AlertEvent;
  /** Who to mention: each channel writes them in its provider's syntax (README, "Mentions"). */
  mentions?: Mentions;
}

/**
 * The template folders and text formats render knows (templates/<set>/). Each channel type says
 * which one its messages use; a robot in text mode uses the plain `console` set.
 */
export type TemplateSet = 'telegram' | 'wecom' | 'dingtalk' | 'console' | 'slack' | 'feishu' | 'wecom-app' | 'webhook';

/** A template failed on this event: retrying the same template cannot help. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
}
