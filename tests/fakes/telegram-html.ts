/**
 * An independent re-implementation of the Telegram server's HTML check (TDLib parse_html in
 * td/telegram/MessageEntity.cpp; docs/providers.md §1.5), for the fake Bot API and for tests. It is kept
 * apart from src/render on purpose: a fake that reused the code under test would agree with its bugs.
 * It works on UTF-8 bytes because Telegram's error messages give byte offsets. Not modelled: link and
 * tg-emoji/tg-time attribute checks, entity nesting fix-ups.
 */

export type TelegramHtmlResult = { ok: true; text: string } | { ok: false; error: string };

const ALLOWED_TAGS = new Set(['a', 'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'code', 'pre', 'blockquote', 'tg-emoji', 'tg-time']);
const NAMED: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
const LT = 0x3c, GT = 0x3e, AMP = 0x26, SLASH = 0x2f, EQ = 0x3d, HASH = 0x23, SEMI = 0x3b;

/** Parses like Telegram: the visible text, or the detail of "Bad Request: can't parse entities: ...". */
export function parseTelegramHtml(html: string): TelegramHtmlResult {
  const src = Buffer.from(html, 'utf8');
  const at = (i: number) => (i < src.length ? (src[i] ?? 0) : 0); // TDLib reads a NUL-terminated string
  const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
  const out: number[] = [];
  const open: string[] = [];
  const fail = (error: string): TelegramHtmlResult => ({ ok: false, error });
  for (let i = 0; i < src.length; i++) {
    const c = at(i);
    if (c === AMP) {
      const entity = decodeEntity(src, i);
      if (entity) {
        if (entity.codePoint >= 0xd800 && entity.codePoint <= 0xdfff) {
          return fail('Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units');
        }
        out.push(...Buffer.from(String.fromCodePoint(entity.codePoint), 'utf8'));
        i = entity.end - 1;
        continue;
      }
    }
    if (c !== LT) {
      out.push(c);
      continue;
    }
    const begin = i++;
    if (at(i) !== SLASH) {
      while (at(i) !== 0 && !isSpace(at(i)) && at(i) !== GT) i++;
      if (at(i) === 0) return fail(`Unclosed start tag at byte offset ${begin}`);
      const name = src.subarray(begin + 1, i).toString('utf8').toLowerCase();
      if (!ALLOWED_TAGS.has(name)) return fail(`Unsupported start tag "${name}" at byte offset ${begin}`);
      let spoilerClass = false;
      while (at(i) !== GT) {
        while (at(i) !== 0 && isSpace(at(i))) i++;
        if (at(i) === GT) break;
        const nameBegin = i;
        while (at(i) !== 0 && !isSpace(at(i)) && at(i) !== EQ && at(i) !== GT) i++;
        if (at(i) === 0) return fail(`Unclosed start tag at byte offset ${begin}`);
        const attribute = src.subarray(nameBegin, i).toString('utf8');
        if (attribute === '') return fail(`Empty attribute name in the tag "${name}" at byte offset ${begin}`);
        while (at(i) !== 0 && isSpace(at(i))) i++;
        if (at(i) !== EQ) continue; // a bare attribute, e.g. <blockquote expandable>
        i++;
        while (at(i) !== 0 && isSpace(at(i))) i++;
        if (at(i) === 0) return fail(`Unclosed start tag at byte offset ${begin}`);
        let value: string;
        if (at(i) !== 0x22 && at(i) !== 0x27) {
          const tokenBegin = i;
          while (/[A-Za-z0-9.-]/.test(String.fromCharCode(at(i)))) i++;
          value = src.subarray(tokenBegin, i).toString('utf8').toLowerCase();
          if (!isSpace(at(i)) && at(i) !== GT) return fail(`Unexpected end of name token at byte offset ${tokenBegin}`);
        } else {
          const quote = at(i++);
          const valueBegin = i;
          while (at(i) !== 0 && at(i) !== quote) i++;
          if (at(i) === 0) return fail(`Unclosed start tag at byte offset ${begin}`);
          value = src.subarray(valueBegin, i++).toString('utf8');
        }
        if (name === 'span' && attribute === 'class' && value === 'tg-spoiler') spoilerClass = true;
      }
      if (name === 'span' && !spoilerClass) return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${begin}`);
      open.push(name);
    } else {
      if (open.length === 0) return fail(`Unexpected end tag at byte offset ${begin}`);
      i++;
      const nameBegin = i;
      while (at(i) !== 0 && !isSpace(at(i)) && at(i) !== GT) i++;
      const name = src.subarray(nameBegin, i).toString('utf8').toLowerCase();
      while (at(i) !== 0 && isSpace(at(i))) i++;
      if (at(i) !== GT) return fail(`Unclosed end tag at byte offset ${begin}`);
      const expected = open.pop() ?? '';
      if (name !== '' && name !== expected) {
        return fail(`Unmatched end tag at byte offset ${begin}, expected "</${expected}>", found "</${name}>"`);
      }
    }
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) return fail(`Can't find end tag corresponding to start tag "${unclosed}"`);
  return { ok: true, text: Buffer.from(out).toString('utf8') };
}

/** TDLib decode_html_entity: numeric or lt/gt/amp/quot, ";" optional. */
function decodeEntity(src: Buffer, start: number): { codePoint: number; end: number } | undefined {
  const char = (i: number) => String.fromCharCode(i < src.length ? (src[i] ?? 0) : 0);
  let j = start + 1;
  let codePoint = 0;
  if (src[j] === HASH) {
    const hex = char(j + 1) === 'x';
    j += hex ? 2 : 1;
    const digit = hex ? /[0-9a-fA-F]/ : /[0-9]/;
    while (digit.test(char(j))) {
      codePoint = codePoint * (hex ? 16 : 10) + parseInt(char(j++), 16);
      if (codePoint >= 0x10ffff) return undefined;
    }
    if (codePoint === 0 || j - start >= 10) return undefined;
  } else {
    while (/[A-Za-z]/.test(char(j))) j++;
    codePoint = NAMED[src.subarray(start + 1, j).toString('latin1')] ?? 0;
    if (codePoint === 0) return undefined;
  }
  return { codePoint, end: src[j] === SEMI ? j + 1 : j };
}
