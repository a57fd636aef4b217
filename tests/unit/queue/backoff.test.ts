import { configSchema } from '../../../src/config/schema';
import { createBackoffStrategy, providerWaitMs } from '../../../src/queue/backoff';

describe('retry backoff', () => {
  it('when attempts fail in a row, then the delay doubles, with half of it random', () => {
    const lowest = createBackoffStrategy(2000, () => 0);
    const highest = createBackoffStrategy(2000, () => 0.999999);
    expect([1, 2, 3, 4].map((n) => lowest(n))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => highest(n))).toEqual([2000, 4000, 8000, 16000]);
  });

  it('when many attempts failed, then the delay stays at most 10 minutes', () => {
    expect(createBackoffStrategy(2000, () => 0.999999)(30)).toBe(600_000);
  });
});

describe('provider-requested pauses', () => {
  const HOUR_MS = 3_600_000;

  it('when a provider asks for 99999999 s, then the channel waits delivery.maxRetryAfter at most', () => {
    expect(providerWaitMs(99_999_999_000, HOUR_MS)).toBe(HOUR_MS);
    expect(providerWaitMs(Number.POSITIVE_INFINITY, HOUR_MS)).toBe(HOUR_MS);
  });

  it('when a provider asks for a wait under the cap, then the channel waits exactly that', () => {
    expect(providerWaitMs(35_000, HOUR_MS)).toBe(35_000);
  });

  it('when a provider asks for 0, a negative or an unreadable wait, then the channel waits 1 s, as Telegram documents', () => {
    expect([0, -5000, Number.NaN].map((ms) => providerWaitMs(ms, HOUR_MS))).toEqual([1000, 1000, 1000]);
  });

  it('when delivery.maxRetryAfter is not set, then it is 1h; "10m" sets 10 minutes', () => {
    expect(configSchema.parse({}).delivery.maxRetryAfter).toBe(HOUR_MS);
    expect(configSchema.parse({ delivery: { maxRetryAfter: '10m' } }).delivery.maxRetryAfter).toBe(600_000);
    expect(configSchema.safeParse({ delivery: { maxRetryAfter: '500ms' } }).success).toBe(false);
  });
});
