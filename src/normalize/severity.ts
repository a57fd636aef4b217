import type { Severity } from './event';
import { ownValue } from './pick';

const SENTRY_LEVELS: Readonly<Record<string, Severity>> = {
  fatal: 'critical',
  error: 'error',
  warning: 'warning',
  info: 'info',
  debug: 'info',
};

// Alertmanager has no fixed vocabulary: these are the values rule authors commonly put in `severity`.
const ALERTMANAGER_SEVERITIES: Readonly<Record<string, Severity>> = {
  critical: 'critical',
  page: 'critical',
  disaster: 'critical',
  error: 'error',
  high: 'error',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  info: 'info',
  none: 'info',
  low: 'info',
};

function lookup(table: Readonly<Record<string, Severity>>, raw: string | null | undefined, fallback: Severity): Severity {
  return ownValue(table, raw?.trim().toLowerCase() ?? '') ?? fallback;
}

/** Sentry `level`; an absent or unknown level counts as `error`, Sentry's own default. */
export function sentrySeverity(level: string | null | undefined): Severity {
  return lookup(SENTRY_LEVELS, level, 'error');
}

/** Alertmanager `labels.severity`; an absent or unknown value counts as `warning`. */
export function alertmanagerSeverity(severity: string | null | undefined): Severity {
  return lookup(ALERTMANAGER_SEVERITIES, severity, 'warning');
}
