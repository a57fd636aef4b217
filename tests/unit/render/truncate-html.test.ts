import { truncateTelegramHtml, visibleLength } from '../../../src/render/truncate-html';
import { parseTelegramHtml } from '../../fakes/telegram-html';

/** What Telegram would count for this HTML, by the fake server's independent parser. */
function telegramLength(html: string): number {
  const parsed = parseTelegramHtml(html);
  if (!parsed.ok) throw new Error(`Telegram would reject it: ${parsed.error}`);
  return [...parsed.text].length;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('visibleLength', () => {
  test.each([
    ['<b>a &lt; b</b> &amp; 🔥', 9],
    ['R&D &ltx &lt3', 11],
    ['&#128293;&#x1F525;&quot', 3],
    ['<a href="https://x/?a>b&amp;c">link</a>', 4],
    ['<pre><code class="language-ts">x</code></pre>', 1],
    ['磁盘已满', 4],
  ])('when the HTML is %p, then Telegram counts %p characters', (html, expected) => {
    expect(visibleLength(html)).toBe(expected);
    expect(telegramLength(html)).toBe(expected);
  });
});

describe('truncateTelegramHtml', () => {
  test('when the message fits, then it is returned unchanged even if its markup is longer than the limit', () => {
    const html = `<b>${'&lt;'.repeat(4096)}</b>`;

    expect(truncateTelegramHtml(html)).toBe(html);
  });

  test('when plain text has 5000 characters, then 4095 remain plus the ellipsis', () => {
    const result = truncateTelegramHtml('a'.repeat(5000));

    expect(result).toBe(`${'a'.repeat(4095)}…`);
    expect(telegramLength(result)).toBe(4096);
  });

  test('when the cut falls among entities, then no entity is broken', () => {
    expect(truncateTelegramHtml('&lt;&amp;'.repeat(2500))).toBe(`${'&lt;&amp;'.repeat(2047)}&lt;…`);
  });

  test('when the text is emoji, then no emoji is split into surrogates', () => {
    const result = truncateTelegramHtml('🔥'.repeat(5000));

    expect(result).toBe(`${'🔥'.repeat(4095)}…`);
    expect(result).not.toMatch(LONE_SURROGATE);
  });

  test('when the text is ZWJ family emoji, then the cut falls between whole families', () => {
    const family = '👨‍👩‍👧'; // 5 code points, one picture
    const result = truncateTelegramHtml(family.repeat(1000));

    expect(result).toBe(`${family.repeat(819)}…`);
    expect(telegramLength(result)).toBe(819 * 5 + 1);
  });

  test('when the text is CJK, then the cut counts characters, not bytes', () => {
    expect(truncateTelegramHtml('磁盘已满'.repeat(1500))).toBe(`${'磁盘已满'.repeat(1023)}磁盘已…`);
  });

  test('when tags are open at the cut, then they are closed innermost first', () => {
    const html = `<blockquote><b>Alert</b> <i>details: <u>${'x'.repeat(5000)}</u></i></blockquote>`;
    const result = truncateTelegramHtml(html);

    expect(result.endsWith('x</u></i></blockquote>…')).toBe(true);
    expect(telegramLength(result)).toBe(4096);
  });

  test('when a code block is cut, then both pre and code are closed', () => {
    const result = truncateTelegramHtml(`<pre><code class="language-python">${'print(1)\n'.repeat(600)}</code></pre>`);

    expect(result.endsWith('</code></pre>…')).toBe(true);
    expect(telegramLength(result)).toBe(4096);
  });

  test('when an attribute value contains ">", then the cut is not made inside the tag', () => {
    const link = '<a href="https://grafana.example.com/?q=a>b">dashboard</a> ';
    const result = truncateTelegramHtml(link.repeat(500));

    expect(telegramLength(result)).toBeLessThanOrEqual(4096);
    expect(result.endsWith('</a>…')).toBe(true);
  });

  test('when tags open right after the last kept character, then no empty tag is left', () => {
    expect(truncateTelegramHtml('abc<b>def</b>', 4)).toBe('abc…');
    expect(truncateTelegramHtml('<b>hello world</b>', 5)).toBe('<b>hell</b>…');
  });

  test('when mixed messages are cut at many limits, then Telegram accepts every result within the limit', () => {
    const pieces = ['<b>', '</b>', '<i>', '</i>', '<code>', '</code>', 'x', ' ', '\n', '&lt;', '&amp;', '&quot;', '🔥', '磁', 'ф', '👨‍👩‍👧', '🇺🇦'];
    let seed = 42; // Park-Miller: deterministic, exact in doubles
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let round = 0; round < 200; round++) {
      const open: string[] = [];
      let html = '';
      for (let i = 0; i < 400; i++) {
        const piece = pieces[random(pieces.length)] ?? 'x';
        if (/^<\//.test(piece)) {
          if (open.length > 0) html += `</${open.pop()}>`;
        } else if (piece.startsWith('<')) {
          const name = piece.slice(1, -1);
          if (open.includes('code') || open.includes(name)) continue; // Telegram nests nothing in code
          open.push(name);
          html += piece;
        } else html += piece;
      }
      html += open.reverse().map((name) => `</${name}>`).join('');
      const limit = 1 + random(visibleLength(html) + 20);

      const result = truncateTelegramHtml(html, limit);

      expect(telegramLength(result)).toBe(visibleLength(result));
      expect(visibleLength(result)).toBeLessThanOrEqual(limit);
      expect(result).not.toMatch(LONE_SURROGATE);
    }
  });
});
