import type { FeishuChannelConfig } from './config';
import type { RenderedMessage } from '../channel';
import { fitUtf8Bytes, utf8Bytes } from '../fit-bytes';
import { feishuMentionTags } from './mentions';
import { signedFields } from './sign';
import { escapeFeishuText } from '../../render/escape-feishu';

/**
 * A request body is at most 20 KB of UTF-8 JSON, card structure included (docs/providers.md §6.4);
 * the code for a bigger one is not documented. 19 000 bytes leaves room for the signature fields.
 */
export const FEISHU_MAX_BODY_BYTES = 19_000;
/** A card header is one line; a longer title only pushes the card down. */
const MAX_TITLE_BYTES = 500;

/** Card header colours (the `template` of the header). */
export type HeaderColour = 'red' | 'orange' | 'green' | 'blue';

/** Red for critical and error, orange for warning, green once resolved, blue for information. */
export function headerColour(message: Pick<RenderedMessage, 'status' | 'severity'>): HeaderColour {
  if (message.status === 'resolved') return 'green';
  if (message.severity === 'warning') return 'orange';
  if (message.severity === 'info') return 'blue';
  return 'red';
}

/**
 * The JSON body send() posts: an interactive card, or a text message; signed when a secret is
 * set. Every payload value goes into `plain_text`, which Feishu shows literally (§6.2): nothing in
 * an alert can start markup or a mention.
 */
export function feishuRequestBody(config: FeishuChannelConfig, message: RenderedMessage, nowMs: number): Record<string, unknown> {
  const signature = config.secret ? signedFields(config.secret, nowMs) : {};
  const title = withKeyword(fitUtf8Bytes(message.title, MAX_TITLE_BYTES), config.keyword, ' ');
  const build = (text: string) => ({ ...signature, ...(config.msgType === 'text' ? textMessage(title, text, feishuMentionTags(message.mentions, 'text')) : card(title, text, message)) });
  // A text message starts with the title, which already holds the keyword; a card's body is a text of its own.
  const keyword = config.msgType === 'text' ? undefined : config.keyword;
  return build(fitText(message.text, keyword, (text) => utf8Bytes(JSON.stringify(build(text)))));
}

function textMessage(title: string, text: string, mentions: string) {
  // The title is the alert's own, unescaped: in a text message `<at …>` would be a mention.
  return { msg_type: 'text', content: { text: `${escapeFeishuText(title)}\n${text}${mentions ? `\n${mentions}` : ''}` } };
}

function card(title: string, text: string, message: RenderedMessage) {
  const link = message.url ? [{ tag: 'action', actions: [{ tag: 'button', type: 'default', text: { tag: 'plain_text', content: linkLabel(message.url) }, url: message.url }] }] : [];
  return {
    msg_type: 'interactive',
    // The card goes in the top-level `card` field, as an object (§6.2).
    card: {
      config: { wide_screen_mode: true },
      header: { template: headerColour(message), title: { tag: 'plain_text', content: title } },
      elements: [{ tag: 'div', text: { tag: 'plain_text', content: text } }, ...mentionElement(message), ...link],
    },
  };
}

/** plain_text shows `<at>` literally: the card's mentions need a lark_md element of their own (§6.2). */
function mentionElement(message: RenderedMessage) {
  const tags = feishuMentionTags(message.mentions, 'card');
  return tags ? [{ tag: 'div', text: { tag: 'lark_md', content: tags } }] : [];
}

/** A button names the host it opens: the channel has no words of its own in the alert's language. */
function linkLabel(url: string): string {
  return `🔗 ${new URL(url).host}`;
}

/**
 * The text cut so the whole body fits (JSON escaping makes a body longer than its text), with the
 * keyword first when the text lacks it: a keyword bot drops every message without one (19024),
 * also when the cut removed the only occurrence (§6.3).
 */
function fitText(text: string, keyword: string | undefined, bodyBytes: (text: string) => number): string {
  let budget = FEISHU_MAX_BODY_BYTES - bodyBytes('');
  let fitted = withKeyword(fitUtf8Bytes(text, budget), keyword, '\n');
  // Each pass cuts by at least the excess, so this ends in a few passes.
  for (let excess = bodyBytes(fitted) - FEISHU_MAX_BODY_BYTES; excess > 0 && budget > 0; excess = bodyBytes(fitted) - FEISHU_MAX_BODY_BYTES) {
    budget -= excess;
    fitted = withKeyword(fitUtf8Bytes(text, budget), keyword, '\n');
  }
  return fitted;
}

function withKeyword(text: string, keyword: string | undefined, separator: string): string {
  return !keyword || text.includes(keyword) ? text : `${keyword}${separator}${text}`;
}
