/**
 * Slack mrkdwn treats exactly three characters as control characters (docs/providers.md §5.5):
 * `&`, `<` and `>`. Replacing them with their entities is the documented escape; nothing else
 * may be HTML-encoded, or it shows literally. An unescaped `<` would let payload text write
 * `<!channel>` or a link of its own.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A URL for `<url|label>`: `|` would end the URL and `>` the link, so they (and `<`, spaces,
 * control characters) are percent-encoded, which the browser reads as the same URL; `&` becomes
 * `&amp;` as everywhere in mrkdwn (Slack decodes it back), since percent-encoding it would change
 * a query string.
 */
export function escapeMrkdwnUrl(url: string): string {
  return url.replace(/&/g, '&amp;').replace(/[\s<>|\p{Cc}]/gu, (c) =>
    Array.from(new TextEncoder().encode(c), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}
