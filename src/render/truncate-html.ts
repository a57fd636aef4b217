/**
 * Length and truncation for Telegram HTML, counted the way Telegram counts (docs/providers.md §1.6):
 * code points of the text after entity parsing, so tags count 0 and `&lt;` counts 1. The scanner
 * follows TDLib's parse_html, but leniently: this code cuts our own rendered output, it does not
 * validate it (a `<` that forms no tag is counted as text; Telegram would reject it anyway).
 */

const ELLIPSIS = '…';
const NAMED_ENTITIES: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
// A tag, with quoted attribute values that may contain ">" (TDLib reads quoted strings whole).
const TAG = /<(\/?)([^\s>/]*)(?:[^>"']|"[^"]*"|'[^']*')*>/y;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

interface Tag {
  end: number; // source index just past the ">"
  name: string; // lower-cased; "" for the `</>` shorthand
  closing: boolean;
}

interface Scan {
  text: string; // the visible text, entities decoded
  ends: number[]; // ends[k]: source index just past the k-th visible code point
  tags: Tag[];
}

/** Visible length as Telegram counts it, before it trims surrounding whitespace (so never less). */
export function visibleLength(html: string): number {
  return scan(html).ends.length;
}

/**
 * Cuts a rendered Telegram-HTML message to at most maxChars visible code points, ellipsis
 * included. The cut falls between grapheme clusters (an emoji, a flag or a ZWJ family stays
 * whole), never inside a tag or an `&...;` entity, and every tag still open is closed, innermost
 * first, so the result parses. Text within the limit is returned unchanged.
 */
export function truncateTelegramHtml(html: string, maxChars = 4096): string {
  // Every visible code point takes at least one UTF-16 unit of the source, so a short source
  // needs no scan: most messages are, and this runs on every Telegram message rendered.
  if (html.length <= maxChars) return html;
  const { text, ends, tags } = scan(html);
  if (ends.length <= maxChars) return html;
  if (maxChars < 1) return '';
  const keep = graphemeFloor(text, maxChars - ELLIPSIS.length);
  const cut = keep === 0 ? 0 : (ends[keep - 1] ?? 0);
  const open: string[] = [];
  for (const tag of tags) {
    if (tag.end > cut) break;
    if (!tag.closing) open.push(tag.name);
    else open.pop();
  }
  const closers = open.reverse().map((name) => `</${name}>`);
  return `${html.slice(0, cut)}${closers.join('')}${ELLIPSIS}`;
}

function scan(html: string): Scan {
  const result: Scan = { text: '', ends: [], tags: [] };
  let i = 0;
  while (i < html.length) {
    if (html[i] === '<') {
      TAG.lastIndex = i;
      const tag = TAG.exec(html);
      // A nameless start tag ("a < b") is not one: count the "<" as text, we only cut here.
      if (tag && (tag[1] === '/' || tag[2])) {
        result.tags.push({ end: TAG.lastIndex, name: (tag[2] ?? '').toLowerCase(), closing: tag[1] === '/' });
        i = TAG.lastIndex;
        continue;
      }
    }
    const entity = html[i] === '&' ? decodeEntity(html, i) : undefined;
    const codePoint = entity?.codePoint ?? html.codePointAt(i) ?? 0;
    i = entity?.end ?? i + (codePoint > 0xffff ? 2 : 1);
    result.text += String.fromCodePoint(codePoint);
    result.ends.push(i);
  }
  return result;
}

/**
 * TDLib's decode_html_entity: `&#NNN;`, `&#xHH;` and the four named entities, `;` optional;
 * a named entity must not run on into more letters (`&ltx` stays literal).
 */
function decodeEntity(html: string, start: number): { codePoint: number; end: number } | undefined {
  let j = start + 1;
  let codePoint = 0;
  if (html[j] === '#') {
    const hex = html[j + 1] === 'x';
    j += hex ? 2 : 1;
    const digit = hex ? /[0-9a-fA-F]/ : /[0-9]/;
    while (j < html.length && digit.test(html.charAt(j))) {
      codePoint = codePoint * (hex ? 16 : 10) + parseInt(html.charAt(j), 16);
      j++;
      if (codePoint >= 0x10ffff) return undefined;
    }
    if (codePoint === 0 || j - start >= 10) return undefined;
  } else {
    while (/[A-Za-z]/.test(html.charAt(j))) j++;
    codePoint = NAMED_ENTITIES[html.slice(start + 1, j)] ?? 0;
    if (codePoint === 0) return undefined;
  }
  return { codePoint, end: html[j] === ';' ? j + 1 : j };
}

/** The largest number of code points ≤ max that ends on a grapheme cluster boundary. */
function graphemeFloor(text: string, max: number): number {
  let count = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = [...segment].length;
    if (count + size > max) break;
    count += size;
  }
  return count;
}
