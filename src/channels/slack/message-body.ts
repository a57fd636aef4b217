import type { RenderedMessage } from '../channel';
import { fitChars, splitChars } from './fit-text';
import { escapeMrkdwn, escapeMrkdwnUrl } from './mrkdwn';

// docs/providers.md §5.5: section text is at most 3000 characters; keep a message to about
// 4,000 (longer ones can get msg_too_long or msg_blocks_too_long well below the documented limits).
export const SLACK_SECTION_CHARS = 3000;
export const SLACK_MAX_TEXT_CHARS = 4000;
// The fallback line is a headline: notifications and screen readers show it.
const MAX_FALLBACK_CHARS = 300;

/** The attachment bar's colour: red for critical/error, orange for warning, green once resolved. */
export const SLACK_COLORS = { critical: '#E01E5A', error: '#E01E5A', warning: '#F2952F', info: '#36C5F0', resolved: '#2EB67D', unknown: '#9E9E9E' } as const;

/**
 * The message in Block Kit, inside one attachment so Slack draws the status colour beside it
 * (blocks alone have no colour). `text` is the fallback Slack shows in notifications and, above
 * the attachment, as the message's first line; Slack "highly recommends" it (§5.3), and an
 * incoming webhook without it answers no_text.
 */
export function slackMessageBody(message: RenderedMessage): Record<string, unknown> {
  const text = fitChars(message.text, SLACK_MAX_TEXT_CHARS);
  const blocks = splitChars(text, SLACK_SECTION_CHARS).map((piece) => ({ type: 'section', text: { type: 'mrkdwn', text: piece } }));
  const fallback = fitChars(message.title.trim() || message.text, MAX_FALLBACK_CHARS);
  return {
    text: message.url ? `<${escapeMrkdwnUrl(message.url)}|${escapeMrkdwn(fallback)}>` : escapeMrkdwn(fallback),
    // An empty section is invalid_blocks: a template that rendered nothing still sends the headline.
    ...(blocks.length > 0 && { attachments: [{ color: colorOf(message), fallback, blocks }] }),
    // An alert full of links would otherwise unfurl the first one into a big preview.
    unfurl_links: false,
    unfurl_media: false,
  };
}

function colorOf(message: RenderedMessage): string {
  if (message.status === 'resolved') return SLACK_COLORS.resolved;
  return message.severity ? SLACK_COLORS[message.severity] : SLACK_COLORS.unknown;
}
