/**
 * The content of a Telegram HTML message as plain text, for a resend without parse_mode after
 * the server refused the markup ("can't parse entities", docs/providers.md §1.5): tags are
 * dropped, a link keeps its target after its text, the four named entities and numeric ones
 * are decoded.
 */
export function telegramPlainText(html: string): string {
  return html
    .replace(/<a\s[^>]*href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a\s*>/gi, (_m, dq, sq, bare, text: string) => {
      const href = decodeEntities(String(dq ?? sq ?? bare ?? ''));
      const label = stripTags(text);
      return href && href !== decodeEntities(label) ? `${label} (${href})` : label;
    })
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);?/gi, (entity) => decodeEntities(entity));
}

function stripTags(text: string): string {
  return text.replace(/<\/?[a-z][^>]*>/gi, '');
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);?/gi, (_m, name: string) => {
    const lower = name.toLowerCase();
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'amp') return '&';
    if (lower === 'quot') return '"';
    const code = lower.startsWith('#x') ? Number.parseInt(lower.slice(2), 16) : Number.parseInt(lower.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}
