/**
 * Escaping for WeCom (企业微信) and DingTalk (钉钉) robot markdown. Neither documents any escape
 * mechanism (docs/providers.md §4.4), so escapeMarkdown does not escape: it makes payload text unable
 * to start markup, by two means that any markdown or HTML parser reads as plain text. One
 * function serves both: their dangerous syntax differs (`<font>` and `<@id>` mentions in WeCom,
 * `@mobile` mentions and rendered HTML in DingTalk), but defusing the union costs nothing.
 *
 * Why not backslashes: both renderers are closed and undocumented. Users of Tencent's clients
 * report `\_` shown with its backslash while underscores still turn text italic
 * (corespeed-io/wechatbot#79), and DingTalk PC renders HTML even inside code blocks while its
 * mobile app shows such messages blank (eryajf/chatgpt-dingtalk#213). A backslash that may show
 * up literally, or an HTML entity that may or may not be decoded, is not an escape to rely on.
 *
 * 1. Paired inline delimiters become full-width look-alikes (`*` → `＊`, `_` → `＿`, `` ` ``, `~`,
 *    `[`, `]`): no parser pairs them, the CJK fonts every WeCom/DingTalk client has draw them,
 *    and readers recognise them. `＿` is the workaround Tencent's users settled on (same issue).
 * 2. The rest is defused with an invisible U+200B ZERO WIDTH SPACE after the character that
 *    starts the markup, so the text reads the same (Satori's DingTalk adapter uses U+200B too):
 *    - `<` before anything: no tag (`<font color=…>`, `<br>`) and no WeCom mention `<@id>`;
 *    - `@` before anything: `@13800000000` is no DingTalk mention;
 *    - `&` starting an entity (`&lt;`, `&#60;`, or `&lt` as HTML decodes it): shows as typed,
 *      whether entities decode or not; `&from=` in a URL is no entity and stays intact;
 *    - `\` before ASCII punctuation: a CommonMark renderer would drop the backslash;
 *    - the start of each line of the value that starts like a block: `#` heading (with or
 *      without a space: older parsers need none), `>` quote, `- `/`+ `/`1. ` list, a `===` or
 *      `---` setext underline, `|` table, indentation (code block); and a run of `#` ending a
 *      line (it would close an ATX heading the template opened). `10.20.3.14` or `-5` is left
 *      alone: no parser reads a block there.
 */

const ZWSP = '\u200B';
const LOOKALIKES: Readonly<Record<string, string>> = { '*': '＊', _: '＿', '`': '｀', '~': '～', '[': '［', ']': '］' };

/** Payload text for WeCom (v1) or DingTalk markdown: shows as received and cannot start markup. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[*_`~[\]]/g, (c) => LOOKALIKES[c] ?? c)
    .replace(/<(?=\S)|@(?=\S)|&(?=#[\dxX]|[A-Za-z][A-Za-z\d]*;|(?:lt|gt|amp|quot|nbsp)(?![A-Za-z\d]))|\\(?=[!-/:-@[-`{-~])/g, `$&${ZWSP}`)
    .replace(/^(?=[ \t#>|]|[-+](?:[ \t]|$)|[-=]+[ \t]*$|\d+[.)](?:[ \t]|$))/gm, ZWSP)
    .replace(/(?<![#\u200B])#+(?=[ \t]*$)/gm, `${ZWSP}$&`);
}

/**
 * DingTalk joins lines separated by a single "\n" into one (CommonMark paragraphs); two trailing
 * spaces make a hard break (jxxghp/MoviePilot-Plugins#875, blinkbean/dingtalk#2). Applied to the
 * rendered message, so template lines and multi-line payload values both keep their breaks. A
 * blank line (a block boundary) stays one; runs of them, left by skipped template sections, are
 * squeezed to one, as markdown would.
 */
export function dingtalkLineBreaks(markdown: string): string {
  return markdown.replace(/\n{3,}/g, '\n\n').replace(/([^\n])\n(?=[^\n])/g, '$1  \n');
}

/**
 * A link target for `[text](url)`, given an http(s) URL: characters that would end the
 * destination or the line early (`)`, whitespace, `<>`, quotes) are percent-encoded, which
 * means the same URL to the browser and nothing to the markdown parser.
 */
export function escapeMarkdownUrl(url: string): string {
  return url.replace(/[\s()<>[\]"'`\\]/gu, (c) =>
    Array.from(new TextEncoder().encode(c), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}
