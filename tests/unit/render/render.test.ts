import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TemplateSet } from '../../../src/render/rendered-message';
import { RenderError } from '../../../src/render/rendered-message';
import { parseAlertmanager } from '../../../src/normalize/alertmanager';
import type { AlertEvent } from '../../../src/normalize/event';
import { parseSentry } from '../../../src/normalize/sentry';
import { createRenderer, type Renderer } from '../../../src/render/render';
import { visibleLength } from '../../../src/render/truncate-html';
import { parseTelegramHtml } from '../../fakes/telegram-html';
import { eventsOf, onlyEvent } from '../normalize/expect-result';
import { loadFixture, withValue } from '../normalize/load-fixture';

const TEMPLATES = join(__dirname, '../../../templates');
const NOW = new Date('2025-11-18T12:00:00Z');
const HOSTILE = `KeyError: '<user_*id*>' [prod] </b><a href="javascript:alert(1)">x</a> {{constructor.constructor}} &amp;`;
/** HOSTILE as Telegram HTML that shows it literally. */
const HOSTILE_HTML = `KeyError: '&lt;user_*id*&gt;' [prod] &lt;/b&gt;&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt; {{constructor.constructor}} &amp;amp;`;
const utc = createRenderer({ templatesDir: TEMPLATES, timezone: 'UTC', now: () => NOW });

function render(event: AlertEvent, type: TemplateSet, options: { template?: string; renderer?: Renderer } = {}): string {
  return (options.renderer ?? utc).render(event, { name: `ops-${type}`, type, locale: 'en', template: options.template }).text;
}

/** What a Telegram user sees: the message as Telegram's HTML parser reads it (fails if Telegram would reject it). */
function seen(html: string): string {
  const parsed = parseTelegramHtml(html);
  if (!parsed.ok) throw new Error(`Telegram would reject the message: ${parsed.error}\n${html}`);
  return parsed.text;
}

const sentryEvent = (resource: string, fixture: string, edits: Array<[(string | number)[], unknown]> = []) =>
  onlyEvent(parseSentry(resource, edits.reduce((body, [path, value]) => withValue(body, path, value), loadFixture(fixture)), NOW));
const alertmanagerEvents = (fixture: string, edits: Array<[(string | number)[], unknown]> = []) =>
  eventsOf(parseAlertmanager(edits.reduce((body, [path, value]) => withValue(body, path, value), loadFixture(fixture))));

const eventAlert = sentryEvent('event_alert', 'sentry-event-alert.json');
const [amFiring] = alertmanagerEvents('alertmanager-firing.json');
const [amResolved, amStillFiring] = alertmanagerEvents('alertmanager-mixed.json');
const hostileSentry = sentryEvent('event_alert', 'sentry-event-alert.json', [[['data', 'event', 'title'], HOSTILE]]);
if (!amFiring || !amResolved || !amStillFiring) throw new Error('the Alertmanager fixtures changed');

const SENTRY_URL = 'https://sentry.io/organizations/lumen-retail/issues/6089314527/events/9f2c4b1e7a3d4c5b8e6f0a1b2c3d4e5f/';
const PROMETHEUS_URL = amFiring.url ?? '';
const defaults = [
  { type: 'telegram', source: 'sentry', event: eventAlert, marker: '🟠 <b>ERROR</b>', where: 'orders/pricing.py:88 in apply_discounts', link: `<a href="${SENTRY_URL}">Open in Sentry</a>` },
  { type: 'console', source: 'sentry', event: eventAlert, marker: '[ERROR]', where: 'at orders/pricing.py:88 in apply_discounts', link: SENTRY_URL },
  { type: 'telegram', source: 'alertmanager', event: amFiring, marker: '🔴 <b>FIRING</b> · critical', where: '📍 <code>10.20.3.14:8080</code>', link: `<a href="${PROMETHEUS_URL.replace('&', '&amp;')}">Source</a>` },
  { type: 'console', source: 'alertmanager', event: amFiring, marker: '[FIRING critical]', where: 'instance: 10.20.3.14:8080', link: PROMETHEUS_URL },
] as const;

describe('createRenderer, default templates', () => {
  test.each(defaults)('when an alert from $source is rendered for $type, then it shows title, severity, where, project, environment and link', (c) => {
    const text = render(c.event, c.type);
    const visible = c.type === 'telegram' ? seen(text) : text;
    expect(visible).toContain(c.event.title);
    expect(text).toContain(c.marker);
    expect(text).toContain(c.where);
    expect(visible).toContain(c.event.project);
    expect(visible).toContain(c.event.environment);
    expect(text).toContain(c.link);
  });

  test.each([
    ['a Sentry issue', sentryEvent('issue', 'sentry-issue-created.json'), sentryEvent('issue', 'sentry-issue-resolved.json')],
    ['an Alertmanager alert', amStillFiring, amResolved],
  ])('when %s is resolved, then both channels say RESOLVED where the firing one does not', (_name, firing, resolved) => {
    expect(render(resolved, 'telegram')).toMatch(/^✅ <b>RESOLVED<\/b>/);
    expect(render(firing, 'telegram')).not.toMatch(/✅|RESOLVED/);
    expect(render(resolved, 'console')).toMatch(/^\[RESOLVED\b/);
    expect(render(firing, 'console')).not.toContain('RESOLVED');
    expect(utc.render(resolved, { name: 'ops', type: 'console', locale: 'en' }).title).toBe(`[RESOLVED] ${resolved.title}`);
  });

  test('when an Alertmanager group is partly resolved, then the Telegram message counts firing and resolved alerts', () => {
    expect(render(amStillFiring, 'telegram')).toContain('📊 group: 1 firing, 1 resolved');
    expect(render(amResolved, 'telegram')).toContain('📊 group: 1 firing, 1 resolved');
    expect(render(amResolved, 'telegram')).toContain('resolved 2025-11-18 10:31:47 UTC');
  });
});

describe('createRenderer, payload values', () => {
  const [hostileAlert] = alertmanagerEvents('alertmanager-firing.json', [
    [['alerts', 0, 'annotations', 'summary'], HOSTILE],
    [['alerts', 0, 'labels', 'instance'], HOSTILE],
  ]);
  if (!hostileAlert) throw new Error('the Alertmanager fixture changed');

  test.each([
    ['Sentry', hostileSentry],
    ['Alertmanager', hostileAlert],
  ])('when a value from %s holds markup and template syntax, then Telegram shows it literally', (_source, event) => {
    const html = render(event, 'telegram');
    expect(html).toContain(HOSTILE_HTML);
    expect(seen(html)).toContain(HOSTILE);
    expect(html).not.toMatch(/href="javascript/i);
  });

  test.each([
    ['Sentry', hostileSentry],
    ['Alertmanager', hostileAlert],
  ])('when a value from %s holds markup and template syntax, then the console prints it verbatim', (_source, event) => {
    const text = render(event, 'console');
    expect(text).toContain(HOSTILE);
    expect(text).not.toMatch(/&lt;|&#x27;|&amp;amp;/);
  });

  test.each(['javascript:alert(1)', ' JavaScript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>'])(
    'when a payload link is %p, then no channel renders it as a link',
    (url) => {
      const sentry = sentryEvent('event_alert', 'sentry-event-alert.json', [[['data', 'event', 'web_url'], url]]);
      const [alert] = alertmanagerEvents('alertmanager-firing.json', [
        [['alerts', 0, 'generatorURL'], url],
        [['alerts', 0, 'annotations', 'runbook_url'], url],
      ]);
      for (const event of [sentry, alert!]) {
        expect(render(event, 'telegram')).not.toContain('<a ');
        expect(render(event, 'console')).not.toMatch(/javascript:|data:/i);
      }
    },
  );

  test('when an alert is 5000+ characters of CJK and emoji, then the Telegram message fits 4096 visible characters and every tag is closed', () => {
    const [parsed] = alertmanagerEvents('alertmanager-firing.json', []);
    // Set after parsing: normalization caps values far below this, the renderer must fit whatever it gets.
    const summary = '磁盘已满👨‍👩‍👧 '.repeat(400);
    const instance = '数据库🔥<&>'.repeat(800);
    const event = { ...parsed!, title: summary, culprit: instance, annotations: { ...parsed!.annotations, summary }, labels: { ...parsed!.labels, instance } };
    expect(Array.from(event.labels.instance).length).toBeGreaterThan(5000);

    const html = render(event, 'telegram');
    expect(visibleLength(html)).toBeLessThanOrEqual(4096);
    expect(Array.from(seen(html)).length).toBeLessThanOrEqual(4096);
    expect(unclosedTags(html)).toEqual([]);
    expect(seen(html)).toMatch(/^🔴 FIRING · critical/);
    expect(html.endsWith('…')).toBe(true);
  });

  test('when the timezone is Asia/Shanghai, then times are shown in that zone with its name, on both channels', () => {
    const shanghai = createRenderer({ templatesDir: TEMPLATES, timezone: 'Asia/Shanghai', now: () => NOW });
    const [lateAlert] = alertmanagerEvents('alertmanager-firing.json', [[['alerts', 0, 'startsAt'], '2025-11-18T19:30:00Z']]);
    for (const type of ['telegram', 'console'] as const) {
      expect(render(eventAlert, type, { renderer: shanghai })).toContain('2025-11-18 17:41:40 GMT+8 (Asia/Shanghai)');
      expect(render(lateAlert!, type, { renderer: shanghai })).toContain('2025-11-19 03:30:00 GMT+8 (Asia/Shanghai)');
      expect(render(lateAlert!, type, { renderer: shanghai })).not.toContain('UTC');
    }
  });
});

describe('createRenderer, channel templates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'render-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const templateFile = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  test('when a channel names its own template, then it is used instead of the default, {{{x}}} raw and {{x}} escaped', () => {
    const template = templateFile('custom.hbs', 'raw: {{{title}}}\nescaped: {{title}}\n{{sourceName}}, {{ago occurredAt}}\n');

    expect(render(hostileSentry, 'telegram', { template })).toBe(`raw: ${HOSTILE}\nescaped: ${HOSTILE_HTML}\nSentry, 2 h ago`);
    expect(render(hostileSentry, 'console', { template })).toBe(`raw: ${HOSTILE}\nescaped: ${HOSTILE}\nSentry, 2 h ago`);
  });

  test.each([
    ['a block helper is called without its argument', '{{#if}}x{{/if}}'],
    ['an unknown helper is called', '{{shout title}}'],
    ['a block is never closed', '{{#if title}}{{title}}'],
  ])('when %s, then rendering fails with a render error naming the channel or file', (_when, text) => {
    const template = templateFile(`broken-${text.length}.hbs`, text);
    const error = renderFailure(() => render(eventAlert, 'telegram', { template }));
    expect(error).toBeInstanceOf(RenderError);
    expect(error).toMatchObject({ message: expect.stringContaining('template for ops-telegram failed') });
  });

  test('when the template file is missing, then rendering fails with a render error naming the channel or file', () => {
    const error = renderFailure(() => render(eventAlert, 'console', { template: join(dir, 'no-such.hbs') }));
    expect(error).toBeInstanceOf(RenderError);
    expect(error).toMatchObject({ message: expect.stringContaining('no-such.hbs') });
  });
});

function renderFailure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected rendering to fail');
}

/** Tags still open (or wrongly closed) at the end of the HTML, in the order they were opened. */
function unclosedTags(html: string): string[] {
  const open: string[] = [];
  for (const match of html.matchAll(/<(\/?)([a-z-]+)[^>]*>/g)) {
    const name = match[2] ?? '';
    if (!match[1]) open.push(name);
    else if (open.pop() !== name) return [...open, `</${name}> out of order`];
  }
  return open;
}

describe('mentions in payload text', () => {
  it('when a Sentry title says "@all please" and it is rendered for Telegram, then Telegram sees no mention but the text reads the same', () => {
    const event = sentryEvent('event_alert', 'sentry-event-alert.json', [[['data', 'event', 'title'], '@all please check @oncall_bot']]);
    const html = render(event, 'telegram');
    expect(html).not.toMatch(/@all|@oncall_bot/);
    expect(seen(html).replace(/\u2060/g, '')).toContain('@all please check @oncall_bot');
  });
});
