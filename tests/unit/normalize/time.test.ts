import { epochSecondsToIso, toIsoTime } from '../../../src/normalize/time';

describe('time conversion of sender values', () => {
  it.each([
    ['2025-11-18T09:41:40.731000+00:00', '2025-11-18T09:41:40.731Z'],
    ['2025-11-18T09:58:47.312Z', '2025-11-18T09:58:47.312Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['yesterday', undefined],
    ['', undefined],
    [null, undefined],
  ])('when the time string is %p, then it is %p', (text, iso) => {
    expect(toIsoTime(text)).toBe(iso);
  });

  it.each([
    [1763461010.87, '2025-11-18T10:16:50.870Z'],
    [1e300, undefined],
    [-1e20, undefined],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [undefined, undefined],
  ])('when the epoch seconds are %p, then it is %p and nothing throws', (seconds, iso) => {
    expect(epochSecondsToIso(seconds)).toBe(iso);
  });
});
