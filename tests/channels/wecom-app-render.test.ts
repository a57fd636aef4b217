import { join } from 'node:path';
import { utf8Bytes } from '../../src/channels/fit-bytes';
import { wecomAppConfigSchema } from '../../src/channels/wecom-app/config';
import { wecomAppType } from '../../src/channels/wecom-app';
import { wecomAppRequestBody } from '../../src/channels/wecom-app/request-body';
import { parseAlertmanager } from '../../src/normalize/alertmanager';
import type { AlertEvent } from '../../src/normalize/event';
import { parseSentry } from '../../src/normalize/sentry';
import type { Locale } from '../../src/render/locales/locale';
import { createRenderer } from '../../src/render/render';
import { eventsOf, onlyEvent } from '../unit/normalize/expect-result';
import { loadFixture, withValue } from '../unit/normalize/load-fixture';

const renderer = createRenderer({ templatesDir: join(__dirname, '../../templates'), timezone: 'UTC' });
const config = wecomAppConfigSchema.parse({ type: 'wecom-app', corpId: 'ww1', corpSecret: 'secret-0123', agentId: 1000002, toUser: '@all' });
const LOCALES: Locale[] = ['en', 'zh-CN', 'ru'];

/** The markdown content message/send would carry for this event. */
function content(event: AlertEvent, locale: Locale): string {
  const message = renderer.render(event, { name: 'ops-app', type: wecomAppType.templateSet(config), locale });
  return (wecomAppRequestBody(config, message) as { markdown: { content: string } }).markdown.content;
}

const RUNBOOK = 'https://runbooks.example.com/shop/high-request-latency';

describe('WeCom app markdown templates', () => {
  it('when msgType is markdown, then the app uses its own template set, not the robot\'s 4096-byte one', () => {
    expect(wecomAppType.templateSet(config)).toBe('wecom-app');
    expect(wecomAppType.templateSet({ ...config, msgType: 'text' })).toBe('console');
  });

  it.each(LOCALES)('when an Alertmanager alert fires and resolves (%s), then it is orange, then green, with its links on the third line', (locale) => {
    const [firing] = eventsOf(parseAlertmanager(loadFixture('alertmanager-firing.json')));
    const [resolved] = eventsOf(parseAlertmanager(loadFixture('alertmanager-resolved.json')));

    const [fired, ended] = [content(firing!, locale), content(resolved!, locale)];

    expect(fired.split('\n')[1]).toMatch(/^<font color="warning">/);
    expect(ended.split('\n')[1]).toMatch(/^<font color="info">/);
    expect(fired.split('\n')[2]).toContain(`](${RUNBOOK})`);
    for (const text of [fired, ended]) expect(utf8Bytes(text)).toBeLessThanOrEqual(2048);
  });

  it.each(LOCALES)('when an alert carries a huge Chinese description (%s), then the 2048-byte cut keeps the headline and the links', (locale) => {
    const body = withValue(loadFixture('alertmanager-firing.json'), ['alerts', 0, 'annotations', 'description'], '数据库连接池耗尽，'.repeat(400));
    const [event] = eventsOf(parseAlertmanager(body));

    const text = content(event!, locale);

    expect(utf8Bytes(text)).toBeLessThanOrEqual(2048);
    expect(text.startsWith('### 🔴 orders-api p99 latency above 2s\n')).toBe(true);
    expect(text).toContain(`](${RUNBOOK})`);
  });

  it.each(LOCALES)('when Sentry sends an event alert (%s), then the link to Sentry is the third line', (locale) => {
    const event = onlyEvent(parseSentry('event_alert', loadFixture('sentry-event-alert.json')));

    const lines = content(event, locale).split('\n');

    expect(lines[2]).toMatch(/^\[.+\]\(https:\/\/sentry\.io\/organizations\/lumen-retail\/issues\/6089314527\//);
  });
});
