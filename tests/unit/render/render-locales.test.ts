import { join } from 'node:path';
import type { TemplateSet } from '../../../src/render/rendered-message';
import { LOCALES, type Locale } from '../../../src/render/locales/locale';
import { parseAlertmanager } from '../../../src/normalize/alertmanager';
import type { AlertEvent } from '../../../src/normalize/event';
import { parseSentry } from '../../../src/normalize/sentry';
import { escapeHtml } from '../../../src/render/escape-html';
import { escapeMarkdownUrl } from '../../../src/render/escape-markdown';
import { escapeMrkdwnUrl } from '../../../src/render/escape-mrkdwn';
import { translate } from '../../../src/render/locales';
import { createRenderer } from '../../../src/render/render';
import { parseTelegramHtml } from '../../fakes/telegram-html';
import { eventsOf, onlyEvent } from '../normalize/expect-result';
import { loadFixture, withValue } from '../normalize/load-fixture';
import { markupSignature, shownMarkdown } from './markdown-oracle';

const TEMPLATES = join(__dirname, '../../../templates');
const NOW = new Date('2025-11-18T12:00:00Z');
const TYPES = ['telegram', 'wecom', 'dingtalk', 'console', 'slack', 'wecom-app'] as const satisfies readonly TemplateSet[];
const renderer = createRenderer({ templatesDir: TEMPLATES, timezone: 'UTC', now: () => NOW });
const render = (event: AlertEvent, type: TemplateSet, locale: Locale) => renderer.render(event, { name: `ops-${type}`, type, locale });

const edited = (fixture: string, edits: Array<[(string | number)[], unknown]>) =>
  edits.reduce((body, [path, value]) => withValue(body, path, value), loadFixture(fixture));
const sentry = (resource: string, fixture: string, edits: Array<[(string | number)[], unknown]> = []) =>
  onlyEvent(parseSentry(resource, edited(fixture, edits), NOW));
const alertmanager = (fixture: string, edits: Array<[(string | number)[], unknown]> = []) => {
  const [first] = eventsOf(parseAlertmanager(edited(fixture, edits)));
  if (!first) throw new Error(`${fixture} has no alert`);
  return first;
};

/** The text a reader of that channel sees (Telegram's parser must accept the HTML). */
function seen(type: TemplateSet, text: string): string {
  if (type === 'wecom' || type === 'dingtalk' || type === 'wecom-app') return shownMarkdown(text);
  if (type === 'slack') return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  if (type !== 'telegram') return text;
  const parsed = parseTelegramHtml(text);
  if (!parsed.ok) throw new Error(`Telegram would reject the message: ${parsed.error}\n${text}`);
  // The word joiner after a payload "@" is invisible: what a reader sees is the text without it.
  return parsed.text.replace(/\u2060/g, '');
}

function link(type: TemplateSet, label: string, url: string): string {
  if (type === 'telegram') return `<a href="${escapeHtml(url)}">${label}</a>`;
  if (type === 'console') return url;
  if (type === 'slack') return `<${escapeMrkdwnUrl(url)}|${label}>`;
  return `[${label}](${escapeMarkdownUrl(url)})`;
}

const sources = [
  { source: 'sentry', firing: sentry('issue', 'sentry-issue-created.json'), resolved: sentry('issue', 'sentry-issue-resolved.json'), linkKey: 'openInSentry' },
  { source: 'alertmanager', firing: alertmanager('alertmanager-firing.json'), resolved: alertmanager('alertmanager-resolved.json'), linkKey: 'source' },
] as const;
const cases = LOCALES.flatMap((locale) => TYPES.flatMap((type) => sources.map((s) => ({ locale, type, ...s }))));

describe('default templates in every language', () => {
  test.each(cases)('when a $source alert is rendered for $type in $locale, then it shows title, severity, project and link', (c) => {
    const { text } = render(c.firing, c.type, c.locale);
    const shown = seen(c.type, text);
    expect(shown).toContain(c.firing.title);
    expect(shown.toLowerCase()).toContain(translate(c.locale, `severity.${c.firing.severity}`).toLowerCase());
    expect(shown).toContain(c.firing.project);
    expect(text).toContain(link(c.type, translate(c.locale, c.linkKey), c.firing.url ?? 'no url in fixture'));
  });

  test.each(cases)('when a $source alert resolves, then the $type message in $locale looks different from the firing one', (c) => {
    const word = translate(c.locale, 'status.resolved');
    const marker = { telegram: `✅ <b>${word}</b>`, wecom: `<font color="info">${word}</font>`, dingtalk: `**${word}**`, console: `[${word}`, slack: `*${word}*`, feishu: `✅ ${word}`, 'wecom-app': `<font color="info">${word}</font>` }[c.type];
    const resolved = render(c.resolved, c.type, c.locale);
    const firing = render(c.firing, c.type, c.locale);

    expect(resolved.text).toContain(marker);
    expect(firing.text).not.toContain(marker);
    expect(firing.text).not.toContain('✅');
    if (c.type !== 'console') expect(resolved.text).toContain('✅');
    expect(resolved.title).toBe(`[${word.toUpperCase()}] ${c.resolved.title}`);
  });

  test.each([
    ['en', '[RESOLVED]', '[ERROR]'],
    ['zh-CN', '[已恢复]', '[错误]'],
    ['ru', '[РЕШЕНО]', '[ОШИБКА]'],
  ] as const)('when the channel speaks %s, then the plain-text title says %s or %s', (locale, resolved, firing) => {
    const [issue] = sources;
    expect(render(issue.resolved, 'dingtalk', locale).title).toBe(`${resolved} KeyError: 'sku'`);
    expect(render(issue.firing, 'dingtalk', locale).title).toBe(`${firing} KeyError: 'sku'`);
  });

  test('when WeCom shows a firing alert, then its status is orange-red, and info alerts are grey', () => {
    expect(render(sources[1].firing, 'wecom', 'en').text).toContain('<font color="warning">FIRING</font>');
    const info = alertmanager('alertmanager-firing.json', [[['alerts', 0, 'labels', 'severity'], 'info']]);
    expect(render(info, 'wecom', 'zh-CN').text).toContain('<font color="comment">告警</font> · 信息');
  });
});

describe('payload values in every format', () => {
  const HOSTILE = `KeyError: '<user_*id*>' [prod] **bold** <font color="info">ok</font> <@all> @13800000000 [x](https://evil.example) &lt;b&gt; </b><a href="javascript:alert(1)">x</a> {{constructor.constructor}}`;
  const HOSTILE_LINES = `${HOSTILE}\n# heading\n> quote\n- item\n===`;
  const benign = [sentry('event_alert', 'sentry-event-alert.json'), alertmanager('alertmanager-firing.json')];
  const hostile = [
    sentry('event_alert', 'sentry-event-alert.json', [
      [['data', 'event', 'title'], HOSTILE],
      [['data', 'event', 'culprit'], HOSTILE],
      [['data', 'event', 'release'], HOSTILE],
    ]),
    alertmanager('alertmanager-firing.json', [
      [['alerts', 0, 'annotations', 'summary'], HOSTILE],
      [['alerts', 0, 'annotations', 'description'], HOSTILE_LINES],
      [['alerts', 0, 'labels', 'instance'], HOSTILE],
    ]),
  ];

  test.each(TYPES.flatMap((type) => [0, 1].map((i) => ({ type, i, source: benign[i]?.source }))))(
    'when $source values hold markup, mentions and template syntax, then $type shows them literally and opens nothing',
    ({ type, i }) => {
      const event = hostile[i]!;
      const text = render(event, type, 'zh-CN').text;
      expect(seen(type, text)).toContain(HOSTILE);
      if (type === 'telegram') expect(text).not.toMatch(/<a href="javascript/i);
      // Markdown has no escapes to look for: the message must hold exactly the markup the
      // template wrote for the same alert with harmless values, not one link or heading more.
      if (type === 'wecom' || type === 'dingtalk' || type === 'wecom-app') {
        expect(markupSignature(text)).toEqual(markupSignature(render(benign[i]!, type, 'zh-CN').text));
      }
    },
  );
});
