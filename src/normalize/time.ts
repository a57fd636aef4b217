// A JavaScript Date holds ±8.64e15 ms around 1970; toISOString() throws outside that range, and a
// sender's number (1e300 seconds) must not turn into an exception at ingest or in a template.
const MAX_DATE_MS = 8.64e15;

/** Sender time string (RFC 3339, Python isoformat, Go RFC3339Nano) -> UTC ISO 8601, or undefined if unreadable. */
export function toIsoTime(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  return msToIso(Date.parse(value));
}

/** Unix seconds with a fraction (Sentry `timestamp`/`received`) -> UTC ISO 8601. */
export function epochSecondsToIso(seconds: number | null | undefined): string | undefined {
  if (seconds === null || seconds === undefined) return undefined;
  return msToIso(Math.round(seconds * 1000));
}

function msToIso(ms: number): string | undefined {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : undefined;
}
