import { join } from 'node:path';
import { LOCALES } from '../../../src/render/locales/locale';
import type { TemplateSet } from '../../../src/render/rendered-message';
import { createRenderer } from '../../../src/render/render';
import { FORMATS } from '../../../src/render/formats';
import { sampleSummary } from '../../../src/policy/sample-summary';
import type { SummaryFacts } from '../../../src/policy/summary-facts';
import { parseTelegramHtml } from '../../fakes/telegram-html';
import { shownMarkdown } from './markdown-oracle';

const renderer = createRenderer({ templatesDir: join(__dirname, '../../../templates'), timezone: 'Asia/Shanghai' });
// Every chat template set render knows (a new channel type needs its summary too); the generic
// webhook's JSON summary has a test of its own.
const TYPES = (Object.keys(FORMATS) as TemplateSet[]).filter((type) => type !== 'webhook');
const facts: SummaryFacts = sampleSummary(Date.parse('2026-12-02T01:00:00Z'), 3600_000);

function shown(type: TemplateSet, text: string): string {
  if (type === 'wecom' || type === 'dingtalk' || type === 'wecom-app') return shownMarkdown(text);
  if (type === 'slack') return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  if (type !== 'telegram') return text;
  const parsed = parseTelegramHtml(text);
  if (!parsed.ok) throw new Error(`Telegram would reject the summary: ${parsed.error}`);
  return parsed.text;
}

describe('summary messages', () => {
  const cases = TYPES.flatMap((type) => LOCALES.map((locale) => [type, locale] as const));

  it.each(cases)('when a period held alerts, then the %s summary in %s shows totals, the period, the top issues with counts and links, and "N more"', (type, locale) => {
    const message = renderer.renderSummary(facts, { name: 'ops', type, locale });
    const text = shown(type, message.text);
    for (const issue of facts.issues) expect(text).toContain(`${issue.title}`);
    expect(text).toContain('×412');
    expect(text).toContain('2026-12-02 08:00:00 GMT+8');
    expect(text).toContain(String(facts.total));
    expect(text).toContain(String(facts.more));
    if (type !== 'console') expect(message.text).toContain('https://sentry.example.com/organizations/acme/issues/4211/');
    expect(message.title).toContain(String(facts.total));
  });

  it.each(LOCALES)('when a period held alerts, then the generic webhook summary in %s is JSON with the totals and the top issues', (locale) => {
    const body: unknown = JSON.parse(renderer.renderSummary(facts, { name: 'ops', type: 'webhook', locale }).text);
    expect(body).toMatchObject({
      summary: true, total: facts.total, issueCount: facts.issueCount, more: facts.more,
      issues: facts.issues.map((issue) => ({ title: issue.title, count: issue.count, url: issue.url ?? '' })),
    });
  });

  it('when a title holds markup, then every format escapes it', () => {
    const hostile: SummaryFacts = { ...facts, issues: [{ ...facts.issues[0]!, title: '<b>x</b> [y](javascript:alert(1)) *z*' }] };
    expect(renderer.renderSummary(hostile, { name: 'ops', type: 'telegram', locale: 'en' }).text).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(shownMarkdown(renderer.renderSummary(hostile, { name: 'ops', type: 'wecom', locale: 'en' }).text)).toContain('<b>x</b> [y](javascript:alert(1)) *z*');
  });

  it('when nothing resolved and only warnings came, then the summary lists only warnings and no resolved-in-period part', () => {
    const quiet: SummaryFacts = { ...facts, bySeverity: { critical: 0, error: 0, warning: 6, info: 0 }, resolved: 0, more: 0, issues: facts.issues.slice(0, 2) };
    const text = shown('telegram', renderer.renderSummary(quiet, { name: 'ops', type: 'telegram', locale: 'en' }).text);
    expect(text).toContain('🟡 warning 6\n');
    expect(text).not.toContain('info');
    expect(text).not.toContain('resolved in the period');
    expect(text).not.toContain('more issue');
  });
});
