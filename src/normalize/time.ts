/** Sender time string (RFC 3339, Python isoformat, Go RFC3339Nano) -> UTC ISO 8601, or undefined if unreadable. */
export function toIsoTime(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Unix seconds with a fraction (Sentry `timestamp`/`received`) -> UTC ISO 8601. */
export function epochSecondsToIso(seconds: number | null | undefined): string | undefined {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return undefined;
  return new Date(Math.round(seconds * 1000)).toISOString();
}
