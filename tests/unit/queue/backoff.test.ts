import { createBackoffStrategy } from '../../../src/queue/backoff';

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
