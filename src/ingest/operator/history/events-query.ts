import { parseDuration } from '../../../config/duration';
import { decodeCursor, type HistoryQuery } from '../../../history/reader';
import { OUTCOMES } from '../../../history/record';
import { SEVERITIES } from '../../../normalize/event';
import { HttpError } from '../../http-error';

const LIMIT = { default: 50, max: 500 } as const;
const MAX_TEXT = 200;
const ENUMS = {
  source: ['sentry', 'alertmanager', 'test'],
  status: ['firing', 'resolved'],
  severity: SEVERITIES,
  outcome: OUTCOMES,
} as const;
/** `token` is how a browser-less client may authenticate (?token=), not a filter. */
const KNOWN = new Set(['source', 'status', 'severity', 'project', 'environment', 'channel', 'outcome', 'q', 'since', 'until', 'limit', 'cursor', 'token']);

function invalid(parameter: string, message: string): HttpError {
  return new HttpError(400, 'invalid_query', `${parameter}: ${message}`);
}

/**
 * GET /events' query string as a HistoryQuery (README, "History and the web page"); every
 * problem is a 400 invalid_query naming the parameter, never a silently ignored filter.
 */
export function parseEventsQuery(query: Record<string, unknown>, channels: readonly string[], now = Date.now()): HistoryQuery {
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalid(name, 'give it once, as plain text');
    if (value.length === 0 || value.length > MAX_TEXT) throw invalid(name, `1 to ${MAX_TEXT} characters`);
    return value;
  };
  for (const name of Object.keys(query)) {
    if (!KNOWN.has(name)) throw invalid(name, `not a filter; use ${[...KNOWN].filter((k) => k !== 'token').join(', ')}`);
  }
  const oneOf = <T extends string>(name: keyof typeof ENUMS, values: readonly T[]): T | undefined => {
    const value = text(name);
    if (value !== undefined && !values.includes(value as T)) throw invalid(name, `one of ${values.join(', ')}`);
    return value as T | undefined;
  };
  const channel = text('channel');
  if (channel !== undefined && !channels.includes(channel)) throw invalid('channel', `no channel named "${channel}"; configured: ${channels.join(', ')}`);
  const limitText = text('limit');
  if (limitText !== undefined && (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > LIMIT.max)) {
    throw invalid('limit', `a whole number from 1 to ${LIMIT.max} (default ${LIMIT.default})`);
  }
  const cursorText = text('cursor');
  const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText);
  if (cursorText !== undefined && !cursor) throw invalid('cursor', 'not a cursor this gateway gave out; use the "next" of a previous answer');
  const since = time('since', text('since'), now);
  const until = time('until', text('until'), now);
  if (since !== undefined && until !== undefined && since > until) throw invalid('since', 'is after until');
  return {
    source: oneOf('source', ENUMS.source),
    status: oneOf('status', ENUMS.status),
    severity: oneOf('severity', ENUMS.severity),
    outcome: oneOf('outcome', ENUMS.outcome),
    project: text('project'),
    environment: text('environment'),
    channel,
    q: text('q'),
    since,
    until,
    limit: limitText === undefined ? LIMIT.default : Number(limitText),
    cursor,
  };
}

/** An ISO time, or a duration meaning "that long ago" (1h, 30m, 7d). */
function time(name: string, value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw invalid(name, `"${value}" is not an ISO time (2026-11-22T10:00:00Z)`);
    return at;
  }
  const ago = /^\d/.test(value) ? parseDuration(value) : undefined;
  if (ago === undefined) throw invalid(name, `"${value}" is neither an ISO time (2026-11-22T10:00:00Z) nor a duration (15m, 1h, 7d)`);
  return now - ago;
}
