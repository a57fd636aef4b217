import { join } from 'node:path';
import { LOCALES } from '../../../src/render/locales/locale';
import { parseAlertmanager } from '../../../src/normalize/alertmanager';
import { parseSentry } from '../../../src/normalize/sentry';
import { escapeFeishuText } from '../../../src/render/escape-feishu';
import { translate } from '../../../src/render/locales';
import { createRenderer } from '../../../src/render/render';
import { eventsOf, onlyEvent } from '../normalize/expect-result';
import { loadFixture, withValue } from '../normalize/load-fixture';

const NOW = new Date('2025-11-18T12:00:00Z');
const renderer = createRenderer({ templatesDir: join(__dirname, '../../../templates'), timezone: 'UTC', now: () => NOW });
const target = (locale: (typeof LOCALES)[number]) => ({ name: 'ops-feishu', type: 'feishu' as const, locale });
const alertmanager = (fixture: string, body: unknown = loadFixture(fixture)) => eventsOf(parseAlertmanager(body))[0]!;
const MENTION_ALL = '<at user_id="all">所有人</at>';

describe('Feishu templates', () => {
  test.each(LOCALES)('when an Alertmanager alert fires, then the %s text names status, severity, instance, labels and the runbook', (locale) => {
    const event = alertmanager('alertmanager-firing.json');
    const { text, title, status, severity } = renderer.render(event, target(locale));

    expect(text.startsWith(`🔴 ${translate(locale, 'status.firing')} · ${translate(locale, 'severity.critical')} · HighRequestLatency\n`)).toBe(true);
    expect(text).toContain(event.culprit);
    expect(text).toContain('alertname=HighRequestLatency');
    expect(text).toContain(`📖 ${translate(locale, 'runbook')}: ${event.extra.runbookUrl}`);
    // The title is the card's header; the text does not repeat it.
    expect(title).toBe(`[${translate(locale, 'severity.critical').toUpperCase()}] ${event.title}`);
    expect({ status, severity }).toEqual({ status: 'firing', severity: 'critical' });
  });

  test.each(LOCALES)('when an alert resolves, then the %s text starts with ✅ and the resolved word', (locale) => {
    const { text, status } = renderer.render(alertmanager('alertmanager-resolved.json'), target(locale));
    expect(text.startsWith(`✅ ${translate(locale, 'status.resolved')} · `)).toBe(true);
    expect(status).toBe('resolved');
  });

  test('when a Sentry issue arrives, then the text names level, project and location, in plain text', () => {
    const event = onlyEvent(parseSentry('event_alert', loadFixture('sentry-event-alert.json'), NOW));
    const { text } = renderer.render(event, target('en'));
    expect(text).toContain(event.project);
    expect(text).toContain(`📍 location: ${event.culprit}`);
    expect(text).not.toMatch(/<\/?(b|i|code|a)\b|\*\*/);
  });

  test('when payload values hold an @all tag, then it cannot become a mention', () => {
    const body = withValue(withValue(loadFixture('alertmanager-firing.json'), ['alerts', 0, 'annotations', 'description'], `disk full ${MENTION_ALL}`), ['alerts', 0, 'labels', 'instance'], '<AT user_id="ou_1">x</AT>');
    const { text } = renderer.render(alertmanager('alertmanager-firing.json', body), target('zh-CN'));
    expect(text).not.toMatch(/<\s*at\b/i);
    expect(text.replace(/\u200B/g, '')).toContain(`disk full ${MENTION_ALL}`);
  });

  test('when a digest is rendered, then it says how many repeats in which window', () => {
    const event = alertmanager('alertmanager-firing.json');
    const { text, title } = renderer.renderDigest(event, { repeats: 57, users: 12, windowMs: 300_000 }, target('en'));
    expect(text).toMatch(/^🔁 .*57.*5 min/);
    expect(title).toContain(event.title);
  });
});

describe('escapeFeishuText', () => {
  test.each([
    ['<at user_id="all">所有人</at>', '<\u200Bat user_id="all">所有人</at>'],
    ['< at id=all>', '<\u200B at id=all>'],
    ['<At id=all>', '<\u200BAt id=all>'],
    ['a < b, <attention>, <b>', 'a < b, <attention>, <b>'],
  ])('when the text is %j, then it becomes %j', (input, output) => {
    expect(escapeFeishuText(input)).toBe(output);
  });
});
