import { join } from 'node:path';
import { escapeMrkdwn, escapeMrkdwnUrl } from '../../../src/render/escape-mrkdwn';
import { parseAlertmanager } from '../../../src/normalize/alertmanager';
import { createRenderer } from '../../../src/render/render';
import { eventsOf } from '../normalize/expect-result';
import { loadFixture, withValue } from '../normalize/load-fixture';

describe('Slack mrkdwn escaping', () => {
  test.each([
    ['a < b > c', 'a &lt; b &gt; c'],
    ['<!channel> <@U024BE7LH> <https://evil.example|click>', '&lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;https://evil.example|click&gt;'],
    ['R&D &amp; ops', 'R&amp;D &amp;amp; ops'],
    ['*bold* _it_ ~s~ `c` "q" \'a\'', '*bold* _it_ ~s~ `c` "q" \'a\''],
  ])('when payload text is %j, then only &, < and > become entities: %j', (text, escaped) => {
    expect(escapeMrkdwn(text)).toBe(escaped);
  });

  test.each([
    ['https://example.com/d?a=1&b=2', 'https://example.com/d?a=1&amp;b=2'],
    ['https://example.com/x|y>z<w', 'https://example.com/x%7Cy%3Ez%3Cw'],
    ['https://example.com/a b', 'https://example.com/a%20b'],
  ])('when a link target is %s, then it cannot end the <url|label> early: %s', (url, escaped) => {
    expect(escapeMrkdwnUrl(url)).toBe(escaped);
  });

  test('when an Alertmanager summary holds <!channel> and a link of its own, then the Slack message shows them as text and links only the source', () => {
    const payload = withValue(loadFixture('alertmanager-firing.json'), ['alerts', 0, 'annotations', 'summary'], 'disk <!channel> & <https://evil.example|free money>');
    const [event] = eventsOf(parseAlertmanager(payload));
    const renderer = createRenderer({ templatesDir: join(__dirname, '../../../templates'), timezone: 'UTC' });
    const { text } = renderer.render(event!, { name: 'ops-slack', type: 'slack', locale: 'en' });
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil.example');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|free money&gt;');
    expect(text).toMatch(/<https?:\/\/[^|>]+\|Source> · <https:\/\/runbooks\.example\.com\/[^|>]+\|Runbook>$/);
  });
});
