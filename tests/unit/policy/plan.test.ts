import { timeIntervalSchema, type TimeInterval } from '../../../src/policy/interval-config';
import { digestSchema } from '../../../src/policy/config';
import { digestPeriod, isMuted, planHold, unmutedAt, type Policy } from '../../../src/policy/plan';
import { containsTime } from '../../../src/policy/time-interval';
import { instantOf } from '../../../src/policy/zoned-time';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const interval = (raw: unknown): TimeInterval => timeIntervalSchema.parse(raw);
const policy = (fields: Partial<Policy>): Policy => ({ mute: [], active: [], timezone: 'UTC', ...fields });

describe('time intervals (Alertmanager semantics)', () => {
  const nightsShanghai = interval({ times: [{ start_time: '00:00', end_time: '08:00' }], weekdays: ['monday:friday'], location: 'Asia/Shanghai' });
  const nightsUtc = interval({ times: [{ start_time: '00:00', end_time: '08:00' }], weekdays: ['monday:friday'] });

  it('when the same night interval is in Asia/Shanghai or in UTC, then it covers different instants', () => {
    // Wednesday 2026-12-02 03:00 in Shanghai is Tuesday 19:00 UTC.
    expect(containsTime(nightsShanghai, at('2026-12-01T19:00:00Z'))).toBe(true);
    expect(containsTime(nightsUtc, at('2026-12-01T19:00:00Z'))).toBe(false);
    // 05:00 UTC Wednesday is 13:00 in Shanghai.
    expect(containsTime(nightsUtc, at('2026-12-02T05:00:00Z'))).toBe(true);
    expect(containsTime(nightsShanghai, at('2026-12-02T05:00:00Z'))).toBe(false);
  });

  it('when end_time is reached, then the interval is over: the end is exclusive, the start inclusive', () => {
    expect(containsTime(nightsUtc, at('2026-12-02T07:59:59Z'))).toBe(true);
    expect(containsTime(nightsUtc, at('2026-12-02T08:00:00Z'))).toBe(false);
    expect(containsTime(nightsUtc, at('2026-12-02T00:00:00Z'))).toBe(true);
  });

  it('when a weekday range is given, then it includes both ends and no other day', () => {
    // 2026-12-05 is a Saturday, 2026-12-07 a Monday, 2026-12-04 a Friday.
    expect(containsTime(nightsUtc, at('2026-12-05T03:00:00Z'))).toBe(false);
    expect(containsTime(nightsUtc, at('2026-12-07T03:00:00Z'))).toBe(true);
    expect(containsTime(nightsUtc, at('2026-12-04T03:00:00Z'))).toBe(true);
  });

  it('when days_of_month are negative, then they count from the month end (February has 28 days in 2026)', () => {
    const lastTwo = interval({ days_of_month: ['-2:-1'] });
    expect(containsTime(lastTwo, at('2026-02-27T12:00:00Z'))).toBe(true);
    expect(containsTime(lastTwo, at('2026-02-26T12:00:00Z'))).toBe(false);
    expect(containsTime(lastTwo, at('2026-03-30T12:00:00Z'))).toBe(true);
    // A range past the month's end stops at its last day; one starting past it never matches.
    expect(containsTime(interval({ days_of_month: ['28:31'] }), at('2026-02-28T12:00:00Z'))).toBe(true);
    expect(containsTime(interval({ days_of_month: ['30:31'] }), at('2026-02-28T12:00:00Z'))).toBe(false);
  });

  it('when months and years are given, then both must match', () => {
    const winter2026 = interval({ months: ['december', '1:2'], years: ['2026'] });
    expect(containsTime(winter2026, at('2026-12-15T00:00:00Z'))).toBe(true);
    expect(containsTime(winter2026, at('2026-01-15T00:00:00Z'))).toBe(true);
    expect(containsTime(winter2026, at('2027-01-15T00:00:00Z'))).toBe(false);
    expect(containsTime(winter2026, at('2026-06-15T00:00:00Z'))).toBe(false);
  });

  it('when a mute interval is active, then it ends at its end_time in its own zone', () => {
    const quiet = policy({ mute: [[nightsShanghai]] });
    // Wednesday 03:00 Shanghai: muted until 08:00 Shanghai = 00:00 UTC.
    expect(isMuted(quiet, at('2026-12-01T19:00:00Z'))).toBe(true);
    expect(iso(unmutedAt(quiet, at('2026-12-01T19:00:00Z')))).toBe('2026-12-02T00:00:00.000Z');
  });

  it('when nights join into a weekend, then the mute lasts until the first minute outside all of them', () => {
    const weekend = interval({ weekdays: ['saturday', 'sunday'] });
    const nightsEvery = interval({ times: [{ start_time: '22:00', end_time: '24:00' }, { start_time: '00:00', end_time: '07:00' }] });
    const quiet = policy({ mute: [[weekend, nightsEvery]] });
    // Friday 23:00 UTC: the night runs into the weekend, which runs into Monday's night until 07:00.
    expect(iso(unmutedAt(quiet, at('2026-12-04T23:00:00Z')))).toBe('2026-12-07T07:00:00.000Z');
  });

  it('when a route is `active` only in office hours, then it is held outside them and released when they start', () => {
    const office = interval({ times: [{ start_time: '09:00', end_time: '18:00' }], weekdays: ['monday:friday'], location: 'Europe/Moscow' });
    const officeOnly = policy({ active: [[office]] });
    expect(isMuted(officeOnly, at('2026-12-02T08:00:00Z'))).toBe(false); // 11:00 Moscow
    expect(isMuted(officeOnly, at('2026-12-02T16:00:00Z'))).toBe(true); // 19:00 Moscow
    expect(iso(unmutedAt(officeOnly, at('2026-12-02T16:00:00Z')))).toBe('2026-12-03T06:00:00.000Z');
  });
});

describe('digest periods', () => {
  const hourly = digestSchema.parse('1h');
  const daily9 = digestSchema.parse({ every: '1d', at: '09:00' });

  it('when a digest is a plain duration, then periods are its multiples since the epoch, the same in every process', () => {
    expect(digestPeriod(hourly, at('2026-12-02T10:17:00Z'), 'UTC')).toEqual({ start: at('2026-12-02T10:00:00Z'), end: at('2026-12-02T11:00:00Z') });
    const tenSeconds = digestSchema.parse('10s');
    expect(digestPeriod(tenSeconds, at('2026-12-02T10:17:03.500Z'), 'UTC')).toEqual({ start: at('2026-12-02T10:17:00Z'), end: at('2026-12-02T10:17:10Z') });
  });

  it('when a daily digest is at 09:00 in Asia/Shanghai, then it ends at 01:00 UTC', () => {
    expect(digestPeriod(daily9, at('2026-12-02T00:30:00Z'), 'Asia/Shanghai')).toEqual({ start: at('2026-12-01T01:00:00Z'), end: at('2026-12-02T01:00:00Z') });
    expect(digestPeriod(daily9, at('2026-12-02T01:00:00Z'), 'Asia/Shanghai').end).toBe(at('2026-12-03T01:00:00Z'));
  });

  it('when Europe/Berlin moves its clocks, then a daily digest stays at 09:00 local and the period is 23 or 25 hours long', () => {
    // Spring forward: Sunday 2026-03-29, 02:00 -> 03:00. 09:00 CET = 08:00Z before, 09:00 CEST = 07:00Z after.
    const spring = digestPeriod(daily9, at('2026-03-28T12:00:00Z'), 'Europe/Berlin');
    expect(iso(spring.start)).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(spring.end)).toBe('2026-03-29T07:00:00.000Z');
    expect(spring.end - spring.start).toBe(23 * 3600_000);
    // Fall back: Sunday 2026-10-25, 03:00 -> 02:00.
    const fall = digestPeriod(daily9, at('2026-10-24T12:00:00Z'), 'Europe/Berlin');
    expect(iso(fall.end)).toBe('2026-10-25T08:00:00.000Z');
    expect(fall.end - fall.start).toBe(25 * 3600_000);
  });

  it('when a local time falls in the spring-forward gap or the fall-back overlap, then it is the jump, or the first of the two', () => {
    expect(iso(instantOf({ year: 2026, month: 3, day: 29 }, 150, 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(instantOf({ year: 2026, month: 10, day: 25 }, 150, 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('when a weekly digest is on Monday 09:00, then it ends on the next Monday at 09:00', () => {
    const weekly = digestSchema.parse({ every: '1w', at: 'monday 09:00' });
    // Wednesday 2026-12-02 -> Monday 2026-12-07.
    expect(digestPeriod(weekly, at('2026-12-02T12:00:00Z'), 'UTC')).toEqual({ start: at('2026-11-30T09:00:00Z'), end: at('2026-12-07T09:00:00Z') });
  });

  it('when a fake clock walks across the Berlin spring transition, then the held alerts of each night wait for 08:00 local', () => {
    const nights = interval({ times: [{ start_time: '00:00', end_time: '08:00' }], location: 'Europe/Berlin' });
    const quiet = policy({ mute: [[nights]], timezone: 'Europe/Berlin' });
    let clock = at('2026-03-27T23:30:00Z'); // Saturday 00:30 CET
    const ends: string[] = [];
    for (let step = 0; step < 4; step += 1, clock += 12 * 3600_000) {
      const hold = planHold(quiet, clock);
      ends.push(hold ? `${hold.kind} until ${iso(hold.end)}` : 'at once');
    }
    expect(ends).toEqual([
      'muted until 2026-03-28T07:00:00.000Z', // 08:00 CET
      'at once', // Saturday 12:30
      'muted until 2026-03-29T06:00:00.000Z', // Sunday 08:00 CEST: the night was an hour shorter
      'at once',
    ]);
  });

  it('when a digest period would end inside a mute, then its summary waits for the mute to end', () => {
    const nights = interval({ times: [{ start_time: '00:00', end_time: '08:00' }] });
    const hold = planHold(policy({ digest: hourly, mute: [[nights]] }), at('2026-12-02T23:20:00Z'));
    expect(hold).toEqual({ kind: 'digested', start: at('2026-12-02T23:00:00Z'), end: at('2026-12-03T08:00:00Z') });
  });
});
