import { escapeHtml } from '../../../src/render/escape-html';
import { visibleLength } from '../../../src/render/truncate-html';
import { parseTelegramHtml } from '../../fakes/telegram-html';

describe('escapeHtml', () => {
  test('when text has markup characters, then they become the entities Telegram knows', () => {
    expect(escapeHtml('disk > 90% && load < 5 on "db-1"')).toBe('disk &gt; 90% &amp;&amp; load &lt; 5 on &quot;db-1&quot;');
  });

  test("when text has an apostrophe, then it is kept as is (Telegram has no named entity for it)", () => {
    expect(escapeHtml("it's down")).toBe("it's down");
  });

  test('when text is emoji, CJK or Cyrillic, then it passes through untouched', () => {
    const text = '🔥 磁盘已满 ➡️ диск заполнен 👨‍👩‍👧';
    expect(escapeHtml(text)).toBe(text);
  });

  test('when text already looks escaped, then it is escaped again and shows literally', () => {
    expect(escapeHtml('&lt;b&gt; and R&D')).toBe('&amp;lt;b&amp;gt; and R&amp;D');
  });

  test.each([
    'a < b',
    '<script>alert(1)</script>',
    '&lt without semicolon, &#65, &amp',
    'R&D "quoted" \'single\'',
    '🔥 <b>not bold</b> 磁盘 > 90%',
    "KeyError: '<user_*id*>' [prod] ",
    '<a href="tg://user?id=123456789">mention</a> <tg-spoiler>x</tg-spoiler> <pre><code>y</code></pre>',
  ])('when %p is escaped, then Telegram decodes it back to the same text', (text) => {
    const parsed = parseTelegramHtml(`<b>${escapeHtml(text)}</b>`);

    expect(parsed).toEqual({ ok: true, text });
  });

  test('when a URL with quotes and ampersands is put in an href, then the tag still parses', () => {
    const url = 'https://grafana.example.com/d/x?var-host=db-1&from=now-1h&q="a>b"';

    expect(parseTelegramHtml(`<a href="${escapeHtml(url)}">dashboard</a>`)).toEqual({ ok: true, text: 'dashboard' });
  });

  test('when 5000 markup characters are escaped, then the visible length stays 5000', () => {
    const text = '<&>"'.repeat(1250);
    const html = escapeHtml(text);

    expect(html).toBe('&lt;&amp;&gt;&quot;'.repeat(1250));
    expect(visibleLength(html)).toBe(5000);
    expect(parseTelegramHtml(html)).toEqual({ ok: true, text });
  });
});
