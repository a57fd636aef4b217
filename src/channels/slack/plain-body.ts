import type { RenderedMessage } from '../channel';
import { fitChars } from './fit-text';
import { SLACK_MAX_TEXT_CHARS } from './message-body';
import { slackMentionLine } from './mentions';

/**
 * `body` with the whole message as `text` and no blocks or attachments: what goes out when Slack
 * refused the Block Kit (invalid_blocks, e.g. a template override). The mrkdwn stays (text is
 * mrkdwn too), the colour bar and sections go; channel, ts and thread_ts are kept (docs/providers.md §5.5).
 */
export function plainSlackBody(body: Record<string, unknown>, message: RenderedMessage): Record<string, unknown> {
  const rest = Object.fromEntries(Object.entries(body).filter(([field]) => field !== 'blocks' && field !== 'attachments'));
  const mentionLine = slackMentionLine(message.mentions);
  const [headline = '', ...details] = message.text.split('\n');
  const text = [headline, ...(mentionLine ? [mentionLine] : []), ...details].join('\n');
  return { ...rest, text: fitChars(text, SLACK_MAX_TEXT_CHARS) };
}
