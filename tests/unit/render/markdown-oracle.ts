/**
 * What WeCom/DingTalk markdown parsers look for, written from their docs and CommonMark, not from
 * escape-markdown.ts: a test that reused the escaper's own rules would agree with its bugs.
 */
const CONSTRUCTS: ReadonlyArray<[name: string, pattern: RegExp]> = [
  ['bold', /\*\*\S|__\S/g],
  ['italic', /(?:^|[^\p{L}\p{N}])[*_]\S/gmu],
  ['code', /`/g],
  ['strike', /~~/g],
  ['link', /\[[^\]\n]*\]\s*[([]/g],
  ['autolink', /<https?:/gi],
  ['html tag', /<\/?[a-z]/gi],
  ['WeCom mention', /<@/g],
  ['DingTalk mention', /@[\p{L}\p{N}]/gu],
  ['entity', /&(?:#[0-9x]|[a-z][a-z0-9]*;|(?:lt|gt|amp|quot|nbsp)\b)/gi],
  ['heading', /^ {0,3}#/gm],
  ['quote', /^ {0,3}>/gm],
  ['list', /^ {0,3}(?:[-+*]|\d+[.)])(?:[ \t]|$)/gm],
  ['setext or rule', /^ {0,3}(?:=+|-+)[ \t]*$/gm],
  ['indented code', /^(?: {4}|\t)/gm],
  ['heading closer', /[ \t]#+[ \t]*$/gm],
  ['backslash escape', /\\[!-/:-@[-`{-~]/g],
];

/** The markdown constructs found in text, by name: empty when the text can only show as typed. */
export function markupIn(text: string): string[] {
  return CONSTRUCTS.filter(([, pattern]) => new RegExp(pattern.source, pattern.flags).test(text)).map(([name]) => name);
}

/** How many times each construct occurs: a message whose values are defused has the template's count. */
export function markupSignature(text: string): Record<string, number> {
  const lines = text.replace(/ {2}\n/g, '\n');
  return Object.fromEntries(CONSTRUCTS.map(([name, pattern]) => [name, lines.match(new RegExp(pattern.source, pattern.flags))?.length ?? 0]));
}

const LOOKALIKE_SOURCES: Readonly<Record<string, string>> = { '＊': '*', '＿': '_', '｀': '`', '～': '~', '［': '[', '］': ']' };

/** What a reader sees: invisible marks gone, look-alikes read as the characters they stand for. */
export function shownMarkdown(text: string): string {
  return text.replace(/\u200B/g, '').replace(/[＊＿｀～［］]/g, (c) => LOOKALIKE_SOURCES[c] ?? c);
}
