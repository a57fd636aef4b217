// U+200B ZERO WIDTH SPACE: invisible, and "<" followed by it and "at" is no longer a tag.
const ZWSP = '\u200B';

/**
 * Payload text for Feishu (docs/providers.md §6.2): a text message parses `<at user_id="all">`
 * tags, so an alert saying `<at user_id="all">` would notify the whole group. The `<` of every
 * `<at` gets a zero-width space after it; everything else shows as received (cards put the text
 * into plain_text elements, which show it literally). Mentions come from the channel's config.
 */
export function escapeFeishuText(text: string): string {
  return text.replace(/<(?=\s*at\b)/gi, `<${ZWSP}`);
}
