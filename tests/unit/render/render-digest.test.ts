import { join } from 'node:path';
import type { TemplateSet } from '../../../src/render/rendered-message';
import { LOCALES } from '../../../src/render/locales/locale';
import type { AlertEvent } from '../../../src/normalize/event';
import { createRenderer } from '../../../src/render/render';
import { parseTelegramHtml } from '../../fakes/telegram-html';
import { markupSignature, shownMarkdown } from './markdown-oracle';

const renderer = createRenderer({ templatesDir: join(__dirname, '../../../templates'), timezone: 'UTC' });
const TYPES: TemplateSet[] = ['telegram', 'wecom', 'dingtalk', 'console'];
const event = (title: string): AlertEvent => ({
  source: 'sentry', status: 'firing', severity: 'error', title, project: 'checkout', environment: 'prod',
  url: 'https://sentry.example.com/organizations/acme/issues/4211/', labels: {}, annotations: {},
  occurredAt: '2026-11-22T10:00:00.000Z', dedupKey: 'sentry:4211', identity: 'sentry:4211:e9', extra: {},
});
const digest = { repeats: 57, users: 12, windowMs: 5 * 60_000 };

function shown(type: TemplateSet, text: string): string {
  if (type === 'wecom' || type === 'dingtalk') return shownMarkdown(text);
  if (type !== 'telegram') return text;
  const parsed = parseTelegramHtml(text);
  if (!parsed.ok) throw new Error(`Telegram would reject the digest: ${parsed.error}`);
  return parsed.text;
}

describe('digest messages', () => {
  const cases = TYPES.flatMap((type) => LOCALES.map((locale) => [type, locale] as const));

  it.each(cases)('when a window held back repeats, then the %s digest in %s names the issue, the count, the window and the users', (type, locale) => {
    const message = renderer.renderDigest(event('KeyError in checkout'), digest, { name: 'ops', type, locale });
    const text = shown(type, message.text);
    expect(text).toContain('KeyError in checkout');
    expect(text).toContain('57');
    expect(text).toContain('5');
    expect(text).toContain('12');
    expect(message.title).toContain('KeyError in checkout');
    if (type !== 'console') expect(message.text).toContain('https://sentry.example.com/organizations/acme/issues/4211/');
  });

  it('when the count is one, then English says "event", not "events"', () => {
    const message = renderer.renderDigest(event('E'), { repeats: 1, windowMs: 60_000 }, { name: 'ops', type: 'console', locale: 'en' });
    expect(message.text).toContain('1 more event in the last 1 min');
    expect(message.text).not.toContain('user');
  });

  it.each([
    ['en', '57 more events in the last 30 s'],
    ['zh-CN', '过去 30 秒内又发生 57 次'],
    ['ru', 'ещё 57 событий за последние 30 с'],
  ] as const)('when the window is shorter than a minute, then the %s digest names it in seconds', (locale, phrase) => {
    const message = renderer.renderDigest(event('E'), { repeats: 57, windowMs: 30_000 }, { name: 'ops', type: 'console', locale });
    expect(message.text).toContain(phrase);
  });

  it.each(['wecom', 'dingtalk'] as const)('when the title is hostile, then the %s digest shows it without new markup', (type) => {
    const plain = renderer.renderDigest(event('KeyError in checkout'), digest, { name: 'ops', type, locale: 'en' });
    const hostile = renderer.renderDigest(event("KeyError: '<user_*id*>' [prod](x) <@all> @13800000000"), digest, { name: 'ops', type, locale: 'en' });
    expect(markupSignature(hostile.text)).toEqual(markupSignature(plain.text));
  });

  it('when the title is hostile, then the Telegram digest is still valid HTML showing it literally', () => {
    const message = renderer.renderDigest(event('<b>x</b> & <a href="tg://x">'), digest, { name: 'ops', type: 'telegram', locale: 'en' });
    expect(shown('telegram', message.text)).toContain('<b>x</b> & <a href="tg://x">');
  });
});
