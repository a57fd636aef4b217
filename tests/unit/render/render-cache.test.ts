import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateSet } from '../../../src/render/rendered-message';
import { LOCALES } from '../../../src/render/locales/locale';
import { parseAlertmanager } from '../../../src/normalize/alertmanager';
import { parseSentry } from '../../../src/normalize/sentry';
import { createRenderer } from '../../../src/render/render';
import { eventsOf, onlyEvent } from '../normalize/expect-result';
import { loadFixture } from '../normalize/load-fixture';

const TEMPLATES = join(__dirname, '../../../templates');
const NOW = new Date('2025-11-18T12:00:00Z');
const TYPES: TemplateSet[] = ['telegram', 'wecom', 'dingtalk', 'console'];
const events = [
  onlyEvent(parseSentry('issue', loadFixture('sentry-issue-created.json'), NOW)),
  onlyEvent(parseSentry('issue', loadFixture('sentry-issue-resolved.json'), NOW)),
  ...eventsOf(parseAlertmanager(loadFixture('alertmanager-mixed.json'))),
];

describe('template cache', () => {
  test('when many alerts are rendered in every language, then each template file is read and compiled once', () => {
    const reads: string[] = [];
    const counting = createRenderer({
      templatesDir: TEMPLATES,
      timezone: 'UTC',
      readTemplate: (path) => {
        reads.push(path);
        return readFileSync(path, 'utf8');
      },
    });
    for (let round = 0; round < 3; round++) {
      for (const locale of LOCALES) {
        for (const type of TYPES) for (const event of events) counting.render(event, { name: `ops-${type}`, type, locale });
      }
    }
    const expected = TYPES.flatMap((type) => ['sentry', 'alertmanager'].map((source) => join(TEMPLATES, type, `${source}.hbs`)));
    expect(reads.sort()).toEqual(expected.sort());
  });

  test('when a custom template uses t and ago, then the channel locale picks the words', () => {
    const custom = createRenderer({ templatesDir: TEMPLATES, timezone: 'UTC', now: () => NOW, readTemplate: () => '{{t "status" status}} · {{t "severity" severity}} · {{ago occurredAt}}' });
    const words = LOCALES.map((locale) => custom.render(events[0]!, { name: 'custom', type: 'console', locale, template: '/custom.hbs' }).text);
    expect(words).toEqual(['FIRING · error · 2 h ago', '告警 · 错误 · 2 小时前', 'ПРОБЛЕМА · ошибка · 2 ч назад']);
  });
});
