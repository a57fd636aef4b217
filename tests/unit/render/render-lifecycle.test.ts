import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAlertmanager } from '../../../src/normalize/alertmanager';
import { parseSentry } from '../../../src/normalize/sentry';
import { durationText } from '../../../src/render/lifecycle-view';
import { LOCALES } from '../../../src/render/locales/locale';
import { createRenderer, type LifecycleFacts } from '../../../src/render/render';
import type { TemplateSet } from '../../../src/render/rendered-message';
import { FORMATS } from '../../../src/render/formats';
import { parseTelegramHtml } from '../../fakes/telegram-html';
import { eventsOf, onlyEvent } from '../normalize/expect-result';
import { loadFixture } from '../normalize/load-fixture';

const TEMPLATES = join(__dirname, '../../../templates');
const NOW = new Date('2025-11-18T12:00:00Z');
const renderer = createRenderer({ templatesDir: TEMPLATES, timezone: 'UTC', now: () => NOW });
// Every template set render knows; the generic webhook's JSON body has no living-message lines,
// only its follow-up.
const ALL = Object.keys(FORMATS) as TemplateSet[];
const TYPES = ALL.filter((type) => type !== 'webhook');
const FIRED = Date.parse('2025-11-18T09:58:47Z');

const [firing] = eventsOf(parseAlertmanager(loadFixture('alertmanager-firing.json')));
const sentryIssue = onlyEvent(parseSentry('issue', loadFixture('sentry-issue-created.json'), NOW));
if (!firing) throw new Error('the Alertmanager fixture changed');

/** Every form of the living message: the words each locale's dictionary gives them. */
const FORMS: Array<[string, LifecycleFacts, Record<string, RegExp>]> = [
  ['edited (repeats)', { count: 20, firstFiredAt: FIRED, lastSeenAt: FIRED + 300_000 }, { en: /20 notifications, last 2025-11-18 10:03:47 UTC/, 'zh-CN': /共 20 次通知，最近一次 2025-11-18 10:03:47 UTC/, ru: /20 уведомлений, последнее 2025-11-18 10:03:47 UTC/ }],
  ['assigned', { count: 1, firstFiredAt: FIRED, assignee: 'Lena Fischer' }, { en: /assigned to Lena Fischer/, 'zh-CN': /负责人：Lena Fischer/, ru: /назначено: Lena Fischer/ }],
  ['archived', { count: 1, firstFiredAt: FIRED, archived: true, endedAt: FIRED + 3600_000 }, { en: /archived in Sentry/, 'zh-CN': /已在 Sentry 中归档/, ru: /архивировано в Sentry/ }],
  ['resolved', { count: 3, firstFiredAt: FIRED, endedAt: FIRED + 42 * 60_000 }, { en: /lasted 42 min/, 'zh-CN': /持续 42 分钟/, ru: /длилось 42 мин/ }],
];

/** What a reader sees: Telegram HTML as the chat shows it (and it must parse), markdown and text as they are. */
function shown(type: TemplateSet, text: string): string {
  if (type === 'webhook') return String((JSON.parse(text) as { summary: unknown }).summary);
  if (type === 'slack') return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  if (type !== 'telegram') return text;
  const parsed = parseTelegramHtml(text);
  if (!parsed.ok) throw new Error(`Telegram would reject the message: ${parsed.error}\n${text}`);
  return parsed.text;
}

describe('the living message\'s forms', () => {
  describe.each(TYPES)('%s', (type) => {
    it.each(FORMS.flatMap(([form, facts, words]) => LOCALES.map((locale) => [form, locale, facts, words[locale]!] as const)))(
      'when the %s form is rendered in %s, then it shows its line in that language',
      (_form, locale, facts, words) => {
        for (const event of [firing, sentryIssue]) {
          const text = renderer.render(event, { name: 'ops', type, locale }, facts).text;
          expect(shown(type, text)).toMatch(words);
        }
      },
    );

    it('when a message has no lifecycle facts, then it shows none of their lines', () => {
      const text = renderer.render(firing, { name: 'ops', type, locale: 'en' }).text;
      expect(text).not.toMatch(/notifications|assigned to|archived|lasted/);
    });

  });

  describe.each(ALL)('%s follow-up', (type) => {
    it.each(LOCALES)('when the resolved follow-up is rendered in %s, then it names the original, when it fired and how long it lasted', (locale) => {
      const facts = { count: 1, firstFiredAt: FIRED, endedAt: FIRED + 90 * 60_000 };
      const text = shown(type, renderer.renderFollowUp(firing, facts, { title: 'disk full on db-1' }, { name: 'ops', type, locale }).text);
      expect(text).toContain('disk full on db-1');
      expect(text).toContain('2025-11-18 09:58:47 UTC');
      expect(text).toContain({ en: '1 h 30 min', 'zh-CN': '1 小时 30 分钟', ru: '1 ч 30 мин' }[locale]);
    });
  });

  it('when an assignee name holds HTML, then Telegram shows it literally', () => {
    const text = renderer.render(sentryIssue, { name: 'ops', type: 'telegram', locale: 'en' }, { count: 1, firstFiredAt: FIRED, assignee: '<b>x</b> & y' }).text;
    expect(text).toContain('assigned to &lt;b&gt;x&lt;/b&gt; &amp; y');
  });

  describe('a user template override', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ngw-life-tpl-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('when it uses the lifecycle fields, then an edit renders them', () => {
      const template = join(dir, 'mine.hbs');
      writeFileSync(template, '{{title}}{{#if lifecycle.repeated}} ×{{lifecycle.count}}{{/if}}{{#if lifecycle.assignee}} @{{lifecycle.assignee}}{{/if}}{{#if lifecycle.lasted}} ({{lifecycle.lasted}}){{/if}}');
      const own = createRenderer({ templatesDir: TEMPLATES, timezone: 'UTC' });
      const text = own.render(firing, { name: 'ops', type: 'telegram', locale: 'en', template }, { count: 7, firstFiredAt: FIRED, assignee: 'lena', endedAt: FIRED + 5000 }).text;
      expect(text).toBe('orders-api p99 latency above 2s ×7 @lena (5 s)');
    });
  });

  it.each([
    [45_000, '45 s'],
    [12 * 60_000, '12 min'],
    [3 * 3600_000, '3 h'],
    [3 * 3600_000 + 5 * 60_000, '3 h 5 min'],
    [2 * 86_400_000 + 4 * 3600_000, '2 d 4 h'],
  ])('when an incident lasted %p ms, then the duration reads %p', (ms, text) => {
    expect(durationText(ms, 'en')).toBe(text);
  });
});
