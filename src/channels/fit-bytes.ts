/** What a cut message ends with, so the reader knows there was more (3 bytes in UTF-8). */
export const CUT_MARKER = '…';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Cuts `text` to at most `maxBytes` UTF-8 bytes, marker included. WeCom and DingTalk count
 * bytes, not characters (docs/providers.md §2.3, §3.4): a CJK character is 3 bytes, an emoji 4 or
 * more. The cut falls between grapheme clusters, so no code point, surrogate pair, flag or
 * ZWJ emoji is torn apart, and at the last line break when that keeps most of the text: a
 * half line of Markdown is more likely to leave a `**` or `<font>` open than a whole one.
 */
export function fitUtf8Bytes(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const budget = maxBytes - utf8Bytes(CUT_MARKER);
  if (budget <= 0) return '';
  const kept = text.slice(0, fittingLength(text, budget));
  const lineEnd = kept.lastIndexOf('\n');
  // "\n…" fits wherever the kept text fits: the dropped tail is at least as long as "\n".
  if (lineEnd > 0 && lineEnd >= kept.length / 2) return `${kept.slice(0, lineEnd).trimEnd()}\n${CUT_MARKER}`;
  return `${kept.trimEnd()}${CUT_MARKER}`;
}

/** Length in UTF-16 units of the longest run of whole graphemes from the start within `budget` bytes. */
function fittingLength(text: string, budget: number): number {
  let used = 0;
  let end = 0;
  // Walk code points and count their UTF-8 bytes (a lone surrogate is written as U+FFFD, 3 bytes).
  while (end < text.length) {
    const codePoint = text.codePointAt(end)!;
    used += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    if (used > budget) break;
    end += codePoint > 0xffff ? 2 : 1;
  }
  return end >= text.length ? end : graphemeStart(text, end);
}

// Segmenting a whole 20 KB message costs about 200 ms; only the text around the cut matters.
const WINDOW = 64;
const LOOKAHEAD = 16;

/** The start of the grapheme that `index` falls in: a ZWJ emoji, a flag or an accented letter stays whole. */
function graphemeStart(text: string, index: number): number {
  let from = Math.max(0, index - WINDOW);
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from -= 1;
  let start = from;
  for (const { index: offset } of graphemes.segment(text.slice(from, index + LOOKAHEAD))) {
    if (from + offset > index) break;
    start = from + offset;
  }
  return start;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
