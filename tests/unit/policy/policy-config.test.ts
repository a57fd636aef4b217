import { loadConfig } from '../../../src/config/load';
import { problemsOf } from '../../support/config-problems';

const load = (yaml: string) => loadConfig({ GATEWAY_CONFIG: '/etc/gw.yaml' }, () => `channels: { ops: { type: console } }\n${yaml}`);

describe('notification policy config', () => {
  it('when a route has a digest and a mute, then they parse: a duration, or every + at; intervals in Alertmanager form', () => {
    const config = load(`
routes:
  - { match: { severity: warning }, channels: [ops], digest: 1h }
  - { match: { severity: info }, channels: [ops], digest: { every: 1d, at: "09:00" }, mute: [nights] }
  - { match: { severity: info }, channels: [ops], digest: { every: 1w, at: "friday 17:30" }, active: [nights] }
timeIntervals:
  nights:
    - times: [{ start_time: "00:00", end_time: "08:00" }]
      weekdays: ["monday:friday"]
      days_of_month: ["1:5", "-3:-1"]
      months: ["january:march", "12"]
      years: ["2026:2030"]
      location: Asia/Shanghai
`);
    expect(config.routes?.[0]?.digest).toEqual({ every: 3_600_000 });
    expect(config.routes?.[1]?.digest).toEqual({ every: 86_400_000, at: { minute: 540 } });
    expect(config.routes?.[2]?.digest).toEqual({ every: 604_800_000, at: { minute: 17 * 60 + 30, weekday: 5 } });
    expect(config.timeIntervals.nights?.[0]).toEqual({
      times: [{ startMinute: 0, endMinute: 480 }],
      weekdays: [{ begin: 1, end: 5 }],
      days_of_month: [{ begin: 1, end: 5 }, { begin: -3, end: -1 }],
      months: [{ begin: 1, end: 3 }, { begin: 12, end: 12 }],
      years: [{ begin: 2026, end: 2030 }],
      location: 'Asia/Shanghai',
    });
  });

  it('when the policy settings are wrong, then every problem is named with its path', () => {
    const problems = problemsOf(() =>
      load(`
routes:
  - { channels: [ops], digest: 5s }
  - { channels: [ops], digest: { every: 1h, at: "09:00" } }
  - { channels: [ops], digest: { every: 1d, at: "9 o'clock" } }
  - { channels: [ops], mute: [nights, weekends], active: [office] }
timeIntervals:
  nights:
    - times: [{ start_time: "22:00", end_time: "07:00" }]
      weekdays: ["friday:monday", "funday"]
      days_of_month: ["0", "-1:5"]
      months: ["smarch"]
      location: Mars/Olympus
    - times: [{ start_time: "25:00", end_time: "24:00" }]
`),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'routes.0.digest.every: a digest period must be at least 10s (got 5000 ms)',
        'routes.1.digest.at: "at" needs a daily or weekly period (every: 1d or 1w)',
        `routes.2.digest.at: "9 o'clock" is not a local time "HH:MM" (or "monday 09:00" for a weekly digest)`,
        'timeIntervals.nights.0.times.0.end_time: start_time must be before end_time (end_time is exclusive; use 24:00 for midnight)',
        'timeIntervals.nights.0.weekdays.0: start day cannot be after end day (Sunday is the first day)',
        'timeIntervals.nights.0.weekdays.1: "funday" is not a weekday (sunday, monday, tuesday, wednesday, thursday, friday, saturday)',
        'timeIntervals.nights.0.days_of_month.0: 0 is not a valid day of the month: 1 to 31, or -1 (the last day) to -31',
        'timeIntervals.nights.0.days_of_month.1: end day must be negative if start day is negative',
        'timeIntervals.nights.0.months.0: "smarch" is not a valid month',
        'timeIntervals.nights.0.location: not a known IANA time zone (e.g. UTC, Asia/Shanghai, Europe/Berlin)',
        'timeIntervals.nights.1.times.0.start_time: a time of day as "HH:MM" (00:00 to 24:00)',
      ]),
    );
  });

  it('when a route names an interval that timeIntervals does not define, then the route path says which', () => {
    const problems = problemsOf(() =>
      load(`
routes:
  - { channels: [ops], mute: [nights, weekends], active: [office] }
timeIntervals:
  nights: [{ weekdays: [saturday] }]
`),
    );
    expect(problems).toEqual([
      'routes.0.mute.1: no time interval named "weekends" in timeIntervals (defined: nights)',
      'routes.0.active.0: no time interval named "office" in timeIntervals (defined: nights)',
    ]);
  });
});

describe('timezone', () => {
  it('when the top-level timezone is not a zone, then config says so instead of failing every digest later', () => {
    expect(problemsOf(() => load('timezone: Asia/Shanghia\n'))).toEqual(['timezone: not a known IANA time zone (e.g. UTC, Asia/Shanghai, Europe/Berlin)']);
  });
});
