import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../../../src/config/schema';
import { parseSentry } from '../../../src/normalize/sentry';
import { heavySentryEventAlert, sentryWireJson } from '../../support/heavy-sentry-event';
import { onlyEvent } from '../normalize/expect-result';

// Why ingest.bodyLimit defaults to 1 MiB, measured rather than guessed. Sentry itself refuses
// events over 1 MB decompressed (docs: "Size Limits"), and a webhook carries the stored event
// plus a few links, so 1 MiB admits what Sentry accepted while bounding what a stranger can
// make the gateway buffer.
const DEFAULT_LIMIT = configSchema.parse({}).ingest.bodyLimit;
const fixtures = join(__dirname, '..', '..', 'fixtures');

describe('the default body limit', () => {
  it('is 1 MiB', () => {
    expect(DEFAULT_LIMIT).toBe(1024 * 1024);
  });

  it('when every realistic fixture is put on the wire as its sender would, then each is a few KB', () => {
    const sizes = readdirSync(fixtures).map((name) => sentryWireJson(JSON.parse(readFileSync(join(fixtures, name), 'utf8'))).length);
    expect(Math.max(...sizes)).toBeLessThan(10 * 1024);
  });

  it('when an event is heavy (3 chained exceptions x 60 frames with locals, 100 breadcrumbs), then it fits with room to spare', () => {
    const wire = sentryWireJson(heavySentryEventAlert({ framesPerException: 60, breadcrumbs: 100, varLength: 200 }));
    expect(wire.length).toBeGreaterThan(500 * 1024);
    expect(wire.length).toBeLessThan(DEFAULT_LIMIT * 0.7);
    expect(onlyEvent(parseSentry('event_alert', JSON.parse(wire))).title).toBe('PricingError: failure 2 while pricing cart 7731-A');
  });

  it('when an event is typical (10 frames, 30 breadcrumbs), then it is under 100 KB', () => {
    expect(sentryWireJson(heavySentryEventAlert({ framesPerException: 10, breadcrumbs: 30, varLength: 100 })).length).toBeLessThan(100 * 1024);
  });
});
