import { join } from 'node:path';
import { mentioningRenderer } from '../../../src/mentions/mentioning-renderer';
import { createMentionResolver } from '../../../src/mentions/resolve';
import type { AlertEvent } from '../../../src/normalize/event';
import { createRenderer } from '../../../src/render/render';

const templates = createRenderer({ templatesDir: join(__dirname, '../../../templates'), timezone: 'UTC' });
const resolve = createMentionResolver({ lena: { telegram: '@lena_fischer' } }, [{ match: { project: 'checkout' }, people: ['lena'], all: false }]);
const renderer = mentioningRenderer(templates, resolve);
const target = { name: 'ops', type: 'telegram', locale: 'en' } as const;
const event = (project: string): AlertEvent => ({
  source: 'sentry', status: 'firing', severity: 'error', title: 'KeyError in checkout', project, labels: {}, annotations: {},
  occurredAt: '2026-11-22T10:00:00.000Z', dedupKey: 'sentry:4211', identity: 'sentry:4211:e9', extra: {},
});

describe('alert messages carry their mentions', () => {
  it('when an alert matches a rule, then its message is the template\'s with the mentions beside it', () => {
    expect(renderer.render(event('checkout'), target)).toEqual({ ...templates.render(event('checkout'), target), mentions: { people: [{ name: 'lena', telegram: '@lena_fischer' }], all: false } });
  });

  it('when an alert matches no rule, then its message has no mentions', () => {
    expect(renderer.render(event('billing'), target)).toEqual(templates.render(event('billing'), target));
  });

  it('when a dedup window\'s digest is rendered, then it mentions nobody again', () => {
    const digest = { repeats: 57, users: 12, windowMs: 300_000 };
    expect(renderer.renderDigest(event('checkout'), digest, target)).toEqual(templates.renderDigest(event('checkout'), digest, target));
  });
});
