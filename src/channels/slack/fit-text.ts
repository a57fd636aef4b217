import { CUT_MARKER } from '../fit-bytes';

/**
 * Slack counts characters, not bytes (docs/providers.md §5.5). Lengths here are UTF-16 units,
 * which are never fewer than code points, so a text within them is within Slack's count too.
 */

/** `text` cut to at most `max` characters, marker included, without tearing a link or an entity apart. */
export function fitChars(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = safeCut(text, max - CUT_MARKER.length);
  const lineEnd = kept.lastIndexOf('\n');
  // A whole line is less likely to leave a `*bold*` or a ``` block open than half a one.
  const whole = lineEnd > 0 && lineEnd >= kept.length / 2 ? kept.slice(0, lineEnd) : kept;
  return `${whole.trimEnd()}${CUT_MARKER}`;
}

/**
 * Splits `text` into pieces of at most `max` characters, at line breaks where a line fits, so
 * each becomes one section block (section text is 1-3000 characters, §5.5).
 */
export function splitChars(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const head = safeCut(rest, max);
    // The head ends at a line break when the next character is one; a single link longer than
    // a section is cut hard rather than looping on it.
    const lineEnd = rest[head.length] === '\n' ? head.length : head.lastIndexOf('\n');
    const cut = lineEnd > 0 ? lineEnd : head.length > 0 ? head.length : max;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  pieces.push(rest);
  return pieces.filter((piece) => piece.trim() !== '');
}

/**
 * The longest start of `text` within `max` units that ends neither inside a surrogate pair,
 * nor inside a `<…>` control sequence (a link, a mention), nor inside an `&amp;`-style entity:
 * a torn `<https://…|lab` or `&am` would show as garbage.
 */
function safeCut(text: string, max: number): string {
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  let kept = text.slice(0, end);
  const open = kept.lastIndexOf('<');
  if (open > kept.lastIndexOf('>') && open > 0) kept = kept.slice(0, open);
  const amp = kept.lastIndexOf('&');
  if (amp >= 0 && kept.length - amp < '&amp;'.length && !kept.slice(amp).includes(';')) kept = kept.slice(0, amp);
  return kept;
}
