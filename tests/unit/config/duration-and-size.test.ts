import { byteSize, parseByteSize } from '../../../src/config/byte-size';
import { durationMs, parseDuration } from '../../../src/config/duration';

describe('durations in config', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    [' 5m ', 300_000],
    ['1.5h', 5_400_000],
    ['1d', 86_400_000],
    ['5 minutes', 300_000],
  ])('when a duration reads %j, then it is %d ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it('when a duration is negative or not a duration, then config says so', () => {
    expect(durationMs.safeParse('-5s').success).toBe(false);
    const result = durationMs.safeParse('soon');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('"soon" is not a duration (use 500ms, 10s, 5m, 1h)');
  });
});

describe('sizes in config', () => {
  it.each([
    ['2048b', 2048],
    ['512kb', 512 * 1024],
    ['1mb', 1024 * 1024],
    ['1 MB', 1024 * 1024],
  ])('when a size reads %j, then it is %d bytes', (text, expected) => {
    expect(parseByteSize(text)).toBe(expected);
  });

  it('when a size is zero, negative or not a size, then config says so', () => {
    expect(byteSize.safeParse('0kb').success).toBe(false);
    expect(byteSize.safeParse('-1kb').success).toBe(false);
    expect(byteSize.safeParse('big').error?.issues[0]?.message).toBe('"big" is not a size (use 512kb, 1mb)');
  });
});
