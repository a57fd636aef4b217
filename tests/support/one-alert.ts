import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface AlertGroup {
  status: string;
  alerts: Array<{ status: string; startsAt: string; endsAt: string } & Record<string, unknown>>;
}

/** Where the sample alert's incident began, and how long after that it resolves in `oneAlert('resolved')`. */
export const STARTS_AT = '2025-11-18T09:58:47.312Z';
export const LASTED_MS = 42 * 60_000;

/**
 * One Alertmanager group holding one alert (the first of the firing fixture), firing or resolved:
 * the same fingerprint either way, as Alertmanager sends an alert's life.
 */
export function oneAlert(status: 'firing' | 'resolved'): AlertGroup {
  const group = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'alertmanager-firing.json'), 'utf8')) as AlertGroup;
  const alert = group.alerts[0]!;
  const endsAt = status === 'resolved' ? new Date(Date.parse(STARTS_AT) + LASTED_MS).toISOString() : '0001-01-01T00:00:00Z';
  return { ...group, status, alerts: [{ ...alert, status, startsAt: STARTS_AT, endsAt }] };
}
