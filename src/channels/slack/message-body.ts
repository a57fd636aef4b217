import type { RenderedMessage } from '../channel';
import { escapeMrkdwn } from '../../render/escape-mrkdwn';
import { fitChars, splitChars } from './fit-text';
import { slackMentionLine } from './mentions';

// docs/providers.md §5.5: section text is at most 3000 characters; keep a message to about
// 4,000 (longer ones can get msg_too_long or msg_blocks_too_long well below the documented limits).
export const SLACK_SECTION_CHARS = 3000;
export const SLACK_MAX_TEXT_CHARS = 4000;
// The fallback is a headline: notifications and screen readers read it.
const MAX_FALLBACK_CHARS = 300;

/** The attachment bar's colour: red for critical/error, orange for warning, green once resolved. */
export const SLACK_COLORS = { critical: '#E01E5A', error: '#E01E5A', warning: '#F2952F', info: '#36C5F0', resolved: '#2EB67D', unknown: '#9E9E9E' } as const;

type Section = { type: 'section'; text: { type: 'mrkdwn'; text: string } };

/**
 * The rendered mrkdwn in Block Kit (README, "Slack"): its first line (the headline) as the
 * message's own section, the rest in one attachment so Slack draws the status colour beside it
 * (blocks have no colour of their own). `text` is the plain fallback for notifications and screen
 * readers, which Slack "highly recommends" with blocks (§5.3) and does not show beside them.
 */
export function slackMessageBody(message: RenderedMessage): Record<string, unknown> {
  const text = fitChars(message.text, SLACK_MAX_TEXT_CHARS);
  const lineEnd = text.indexOf('\n');
  const headline = lineEnd < 0 ? text : text.slice(0, lineEnd);
  const details = lineEnd < 0 ? '' : text.slice(lineEnd + 1);
  const fallback = fitChars(message.title.trim() || headline, MAX_FALLBACK_CHARS);
  // Mentions go under the headline in the message's own section, where they show first.
  const mentionLine = slackMentionLine(message.mentions);
  const blocks = sections(mentionLine ? `${headline}\n${mentionLine}` : headline);
  const attached = sections(details);
  return {
    text: escapeMrkdwn(fallback),
    // An empty section is invalid_blocks: empty parts are left out, and `text` alone is a valid message.
    ...(blocks.length > 0 && { blocks }),
    ...(attached.length > 0 && { attachments: [{ color: colorOf(message), fallback, blocks: attached }] }),
    // An alert full of links would otherwise unfurl the first one into a big preview.
    unfurl_links: false,
    unfurl_media: false,
  };
}

function sections(text: string): Section[] {
  return splitChars(text.trim(), SLACK_SECTION_CHARS).map((piece) => ({ type: 'section', text: { type: 'mrkdwn', text: piece } }));
}

function colorOf(message: RenderedMessage): string {
  if (message.status === 'resolved') return SLACK_COLORS.resolved;
  return message.severity ? SLACK_COLORS[message.severity] : SLACK_COLORS.unknown;
}
