/**
 * Why a Sentry-Hook-Timestamp is refused under `auth.sentry.maxAge`, or undefined when it is
 * fresh. The timestamp is not signed (docs/payloads.md §1.2), so this only stops replays by someone
 * who does not think of rewriting the header; that is why it is off unless configured. Times
 * further ahead than maxAge count as stale too: a clock cannot be that far off.
 */
export function staleTimestampProblem(header: string | undefined, maxAgeMs: number, nowMs: number): string | undefined {
  if (header === undefined || header.trim() === '') return 'Sentry-Hook-Timestamp is missing (auth.sentry.maxAge is set)';
  const value = Number(header.trim());
  if (!Number.isFinite(value) || value <= 0) return 'Sentry-Hook-Timestamp is not Unix seconds';
  // Sentry sends whole seconds; a sender in milliseconds is read as such rather than as year 50 000.
  const sentMs = value > 1e11 ? value : value * 1000;
  const ageMs = nowMs - sentMs;
  if (Math.abs(ageMs) <= maxAgeMs) return undefined;
  const age = Math.round(Math.abs(ageMs) / 1000);
  return ageMs > 0
    ? `Sentry-Hook-Timestamp is ${age} s old, more than auth.sentry.maxAge (${maxAgeMs / 1000} s)`
    : `Sentry-Hook-Timestamp is ${age} s in the future, more than auth.sentry.maxAge (${maxAgeMs / 1000} s)`;
}
