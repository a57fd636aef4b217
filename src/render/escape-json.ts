/**
 * A value for the inside of a JSON string literal (`"{{title}}"` in a webhook template): quotes,
 * backslashes and control characters escaped, so no payload can end the string or break the
 * document. U+2028/U+2029 too: valid JSON, but they end a line in older JavaScript receivers.
 */
export function escapeJsonString(text: string): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
