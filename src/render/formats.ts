import type { TemplateSet } from './rendered-message';
import { dingtalkLineBreaks, escapeMarkdown, escapeMarkdownUrl } from './escape-markdown';
import { escapeHtml, escapeTelegramText } from './escape-html';
import { escapeMrkdwn, escapeMrkdwnUrl } from './escape-mrkdwn';
import { escapeFeishuText } from './escape-feishu';
import { escapeJsonString } from './escape-json';
import { truncateTelegramHtml } from './truncate-html';

/** Each channel type's text format. */
export interface Format {
  /** Applied to every payload value a template interpolates with `{{value}}`. */
  escape: (text: string) => string;
  /** Applied to link targets (`url`, `extra.*Url`; already checked to be http(s)). */
  escapeUrl: (url: string) => string;
  /** The last step on the whole rendered message. */
  finish: (text: string) => string;
}

const verbatim = (text: string) => text;

export const FORMATS: Readonly<Record<TemplateSet, Format>> = {
  // Telegram counts 4096 characters after entity parsing (docs/providers.md §1.6); hrefs are
  // attribute values, which escapeHtml makes safe too.
  telegram: { escape: escapeTelegramText, escapeUrl: escapeHtml, finish: (text) => truncateTelegramHtml(text, 4096) },
  // WeCom (4096 bytes) and DingTalk (20000 bytes) limits are in UTF-8 bytes: their channels cut
  // the message by bytes when they send it, so cutting here as well would only cut twice.
  wecom: { escape: escapeMarkdown, escapeUrl: escapeMarkdownUrl, finish: verbatim },
  dingtalk: { escape: escapeMarkdown, escapeUrl: escapeMarkdownUrl, finish: dingtalkLineBreaks },
  // WeCom application markdown is the robot's syntax in half the room (2048 bytes, docs/providers.md §7).
  'wecom-app': { escape: escapeMarkdown, escapeUrl: escapeMarkdownUrl, finish: verbatim },
  console: { escape: verbatim, escapeUrl: verbatim, finish: verbatim },
  // Slack mrkdwn; the channel splits the message into sections and cuts it near 4000 characters.
  slack: { escape: escapeMrkdwn, escapeUrl: escapeMrkdwnUrl, finish: verbatim },
  // Plain text (card plain_text elements, text messages); the channel cuts the body to 20 KB.
  feishu: { escape: escapeFeishuText, escapeUrl: verbatim, finish: verbatim },
  // Generic webhook templates write a JSON body: values go inside "…" (README, "Generic webhook").
  webhook: { escape: escapeJsonString, escapeUrl: escapeJsonString, finish: verbatim },
};
