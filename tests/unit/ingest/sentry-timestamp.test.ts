import { staleTimestampProblem } from '../../../src/ingest/auth/sentry-timestamp';

const NOW_MS = Date.parse('2026-11-22T10:00:00Z');
const FIVE_MIN = 5 * 60_000;

describe('staleTimestampProblem', () => {
  it.each([
    ['now', String(NOW_MS / 1000)],
    ['4 minutes old', String(NOW_MS / 1000 - 240)],
    ['a minute ahead (clock skew)', String(NOW_MS / 1000 + 60)],
    ['in milliseconds', String(NOW_MS - 1000)],
  ])('when the timestamp is %s, then it is fresh', (_name, header) => {
    expect(staleTimestampProblem(header, FIVE_MIN, NOW_MS)).toBeUndefined();
  });

  it.each([
    ['missing', undefined, 'Sentry-Hook-Timestamp is missing (auth.sentry.maxAge is set)'],
    ['not a number', 'yesterday', 'Sentry-Hook-Timestamp is not Unix seconds'],
    ['negative', '-5', 'Sentry-Hook-Timestamp is not Unix seconds'],
    ['an hour old', String(NOW_MS / 1000 - 3600), 'Sentry-Hook-Timestamp is 3600 s old, more than auth.sentry.maxAge (300 s)'],
    ['an hour ahead', String(NOW_MS / 1000 + 3600), 'Sentry-Hook-Timestamp is 3600 s in the future, more than auth.sentry.maxAge (300 s)'],
  ])('when the timestamp is %s, then it is refused saying why', (_name, header, problem) => {
    expect(staleTimestampProblem(header, FIVE_MIN, NOW_MS)).toBe(problem);
  });
});
