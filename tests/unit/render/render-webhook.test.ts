import { join } from 'node:path';
import { LOCALES } from '../../../src/render/locales/locale';
import { parseAlertmanager } from '../../../src/normalize/alertmanager';
import type { AlertEvent } from '../../../src/normalize/event';
import { parseSentry } from '../../../src/normalize/sentry';
import { TemplateError } from '../../../src/render/compile-template';
import { createRenderer } from '../../../src/render/render';
import { eventsOf, onlyEvent } from '../normalize/expect-result';
import { loadFixture, withValue } from '../normalize/load-fixture';

const TEMPLATES = join(__dirname, '../../../templates');
const NOW = new Date('2025-11-18T12:00:00Z');
const renderer = createRenderer({ templatesDir: TEMPLATES, timezone: 'UTC', now: () => NOW });
const target = { name: 'ops-hook', type: 'webhook', locale: 'en' } as const;

// Everything that could end a JSON string or the document, or split a line in a JavaScript receiver.
const HOSTILE = 'KeyError: "sku" \\ back\nslash\t<b>&amp;</b> \u0001 \u2028 "}, "injected": true, "x": "{{title}}';

const firing = eventsOf(parseAlertmanager(loadFixture('alertmanager-firing.json')))[0]!;
const resolved = eventsOf(parseAlertmanager(loadFixture('alertmanager-resolved.json')))[0]!;
const issue = onlyEvent(parseSentry('issue', loadFixture('sentry-issue-created.json'), NOW));
const hostileAlert = eventsOf(
  parseAlertmanager(
    [
      [['alerts', 0, 'annotations', 'summary'], HOSTILE],
      [['alerts', 0, 'annotations', 'description'], HOSTILE],
      [['alerts', 0, 'labels', 'instance'], HOSTILE],
    ].reduce((body, [path, value]) => withValue(body, path as (string | number)[], value), loadFixture('alertmanager-firing.json')),
  ),
)[0]!;
const hostileIssue = onlyEvent(parseSentry('issue', withValue(loadFixture('sentry-issue-created.json'), ['data', 'issue', 'title'], HOSTILE), NOW));

const body = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('the webhook template set writes JSON bodies', () => {
  it.each(LOCALES)('when an Alertmanager alert fires and resolves, then the %s body is JSON with its facts and status', (locale) => {
    const fired = body(renderer.render(firing, { ...target, locale }).text);
    const ended = body(renderer.render(resolved, { ...target, locale }).text);

    expect(fired).toMatchObject({ source: 'alertmanager', status: 'firing', title: firing.title, labels: firing.labels, url: firing.url });
    expect(ended).toMatchObject({ status: 'resolved', title: resolved.title, endsAt: resolved.endedAt });
  });

  it('when a Sentry issue is rendered, then the body holds its title, project and event count as a number', () => {
    const sent = body(renderer.render(issue, target).text);
    expect(sent).toMatchObject({ source: 'sentry', title: issue.title, project: issue.project, key: issue.dedupKey });
    expect(sent.events === null || typeof sent.events === 'number').toBe(true);
  });

  it.each([
    ['Alertmanager', hostileAlert],
    ['Sentry', hostileIssue],
  ] as const)('when %s values hold quotes, backslashes, control characters and JSON, then the body still parses and shows them as they are', (_source, event: AlertEvent) => {
    const { text } = renderer.render(event, target);
    const parsed = body(text);

    expect(parsed.title).toBe(HOSTILE);
    expect(parsed).not.toHaveProperty('injected');
    expect(text).not.toContain('\u2028');
  });

  it.each(LOCALES)('when a dedup window held back repeats, then the %s digest body is JSON with the count as a number', (locale) => {
    const digest = body(renderer.renderDigest(hostileIssue, { repeats: 57, users: 12, windowMs: 300_000 }, { ...target, locale }).text);
    expect(digest).toMatchObject({ digest: true, title: HOSTILE, repeats: 57, users: 12 });
  });

  it('when a message is rendered, then it carries the normalized event the webhook\'s default body sends', () => {
    expect(renderer.render(firing, { ...target, type: 'console' }).event).toBe(firing);
  });

  it('when a webhook channel\'s own template is broken, then building the renderer fails naming the channel, the file and the line', () => {
    const build = () =>
      createRenderer({
        templatesDir: TEMPLATES,
        timezone: 'UTC',
        readTemplate: (path) => (path === '/etc/ngw/hook.hbs' ? '{\n  "title": "{{title}}",\n  "x": "{{#if url}}{{/each}}"\n}' : ''),
        targets: [{ ...target, template: '/etc/ngw/hook.hbs' }],
      });
    expect(build).toThrow(TemplateError);
    expect(build).toThrow(/^template of channel "ops-hook" \(\/etc\/ngw\/hook\.hbs, line 3\)/);
  });
});
