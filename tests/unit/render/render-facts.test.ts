import { join } from 'node:path';
import type { TemplateSet } from '../../../src/render/rendered-message';
import { parseAlertmanager } from '../../../src/normalize/alertmanager';
import type { AlertEvent } from '../../../src/normalize/event';
import { parseSentry } from '../../../src/normalize/sentry';
import { createRenderer } from '../../../src/render/render';
import { eventsOf, onlyEvent } from '../normalize/expect-result';
import { loadFixture, withValue } from '../normalize/load-fixture';

const renderer = createRenderer({ templatesDir: join(__dirname, '../../../templates'), timezone: 'UTC' });
const render = (event: AlertEvent, type: TemplateSet) => renderer.render(event, { name: 'ops', type, locale: 'en' }).text;
const CHANNEL_TYPES: TemplateSet[] = ['telegram', 'wecom', 'dingtalk', 'console'];

describe('facts a message must not lose', () => {
  it.each(CHANNEL_TYPES)('when a Sentry metric alert fires, then the %s message shows its description text', (type) => {
    const event = onlyEvent(parseSentry('metric_alert', loadFixture('sentry-metric-alert-critical.json')));
    expect(render(event, type)).toContain('742 events in the last 10 minutes');
  });

  it.each(CHANNEL_TYPES)('when a Sentry metric alert resolves, then the %s message shows when it resolved', (type) => {
    const event = onlyEvent(parseSentry('metric_alert', loadFixture('sentry-metric-alert-resolved.json')));
    expect(event.endedAt).toBeDefined();
    expect(render(event, type)).toMatch(/resolved:? 2025-11-18 10:58:00 UTC/);
  });

  it.each(CHANNEL_TYPES)('when the legacy plugin sends a message, then the %s message shows it', (type) => {
    const event = onlyEvent(parseSentry(undefined, loadFixture('sentry-legacy-plugin.json')));
    expect(render(event, type)).toContain('Internal Server Error: /api/v1/stock/sync');
  });

  it.each(CHANNEL_TYPES)('when an Alertmanager group is mixed, then the %s message counts firing and resolved alerts', (type) => {
    const [event] = eventsOf(parseAlertmanager(loadFixture('alertmanager-mixed.json')));
    expect(render(event!, type)).toContain('group: 1 firing, 1 resolved');
  });

  it.each(CHANNEL_TYPES)('when Alertmanager left alerts out (max_alerts), then the %s message says how many', (type) => {
    const [event] = eventsOf(parseAlertmanager(withValue(loadFixture('alertmanager-firing.json'), ['truncatedAlerts'], 7)));
    expect(render(event!, type)).toContain('7 more alerts of this group not shown');
  });
});
