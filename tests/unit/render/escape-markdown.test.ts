import { dingtalkLineBreaks, escapeMarkdown, escapeMarkdownUrl } from '../../../src/render/escape-markdown';
import { markupIn, shownMarkdown } from './markdown-oracle';

const HOSTILE = [
  "KeyError: '<user_*id*>' [prod] ",
  '**bold** __bold__ *it* _it_ `code` ~~strike~~',
  '[click](https://evil.example) ![img](https://evil.example/x.png) [ref][1] <https://evil.example>',
  '<font color="info">all good</font> <br> </b> <script>alert(1)</script>',
  'ping <@wangqing> <@all> @13800000000 @all',
  '&lt;font&gt; &#60;b&#62; &amp;amp; &nbsp',
  '# heading\n## heading\n#nospace\n> quote\n>> nested\n- item\n+ item\n1. item\n2) item\n|a|b|\n    code\n\tcode\ntitle\n===\nmore\n---',
  'build failed ##',
  'C:\\Users\\app \\*not\\* \\[x\\] \\# \\\\',
  'Windows\r\n# after CRLF\rand CR',
];

describe('escapeMarkdown (WeCom and DingTalk)', () => {
  test.each(HOSTILE)('when a value is %p, then it opens no markup, mention or entity', (text) => {
    expect(markupIn(escapeMarkdown(text))).toEqual([]);
  });

  test.each(HOSTILE)('when a value is %p, then the reader sees it as it was sent', (text) => {
    expect(shownMarkdown(escapeMarkdown(text))).toBe(text.replace(/\r\n?/g, '\n'));
  });

  test("when a Sentry title is KeyError: '<user_*id*>' [prod], then it shows literally with look-alikes and no tag", () => {
    expect(escapeMarkdown("KeyError: '<user_*id*>' [prod] ")).toBe("KeyError: '<\u200Buser＿＊id＊>' ［prod］ ");
  });

  test('when a value is CJK, Cyrillic, emoji or a plain URL, then it passes through untouched', () => {
    const text = '磁盘已满 🔥 диск заполнен 👨‍👩‍👧 ➡️ https://grafana.example.com/d/abc?var-host=db-1&from=now-1h (90%)';
    expect(escapeMarkdown(text)).toBe(text);
  });

  test.each(['10.20.3.14:8080 down', '-5 °C in the server room', '2025-11-18 disk full', 'v2.1 (beta)', 'a > b, x < 3 & y'])(
    'when %p starts or contains what only looks like markup, then it stays as is',
    (text) => {
      expect(escapeMarkdown(text)).toBe(text);
    },
  );

  test('when a value has several lines, then each line that starts like a block is defused', () => {
    expect(escapeMarkdown('ok\n# no heading\n> no quote')).toBe('ok\n\u200B# no heading\n\u200B> no quote');
  });
});

describe('dingtalkLineBreaks', () => {
  test('when lines follow each other, then each break becomes a hard break (two trailing spaces)', () => {
    expect(dingtalkLineBreaks('### title\n**ERROR** · Sentry\n> a\n> b')).toBe('### title  \n**ERROR** · Sentry  \n> a  \n> b');
  });

  test('when blocks are separated by blank lines, then one blank line remains between them', () => {
    expect(dingtalkLineBreaks('a\n\nb\n\n\n\nc')).toBe('a\n\nb\n\nc');
  });
});

describe('escapeMarkdownUrl', () => {
  test('when a URL has no characters markdown reads, then it is unchanged', () => {
    const url = 'https://sentry.io/organizations/acme/issues/42/?project=7&query=is%3Aunresolved';
    expect(escapeMarkdownUrl(url)).toBe(url);
  });

  test('when a URL has parentheses, spaces, quotes or angle brackets, then they are percent-encoded', () => {
    expect(escapeMarkdownUrl('https://x.example/a b(c)?q="1"&r=<2>\'')).toBe('https://x.example/a%20b%28c%29?q=%221%22&r=%3C2%3E%27');
  });

  test('when a URL has a line break or a non-ASCII space, then the link cannot end early', () => {
    expect(escapeMarkdownUrl('https://x.example/a\n# b\u3000c')).toBe('https://x.example/a%0A#%20b%E3%80%80c');
  });
});
