const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Escapes dynamic text for Telegram's parse_mode=HTML (docs/providers.md §1.5). `<` always starts a
 * tag for Telegram and `&lt`/`&amp`/`&#65` decode even without ";", so `&` and `<` must always be
 * escaped; `>` for symmetry; `"` so the value is also safe inside a double-quoted attribute
 * (`<a href="...">`). `'` stays as is: Telegram has no named entity for it and templates quote
 * attributes with `"`. Telegram knows only &lt; &gt; &amp; &quot; and numeric entities.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ENTITIES[c] ?? c);
}

// U+2060 WORD JOINER: invisible, and Telegram no longer reads `@name` after it as a mention.
const WORD_JOINER = '\u2060';

/**
 * escapeHtml, and `@` followed by a name character defused: `@all please` or `@oncall` in an
 * alert's text must not notify anyone; mentions come only from the channel's config, which
 * templates insert without this escape.
 */
export function escapeTelegramText(s: string): string {
  return escapeHtml(s).replace(/@(?=[\w])/g, `@${WORD_JOINER}`);
}
