import type { Logger } from '../observability/logger';
import { SOURCE_NAMES, type AlertEvent } from '../normalize/event';

export type Outcome = 'sent' | 'edited' | 'retrying' | 'suppressed' | 'failed';

/**
 * The one line per delivery outcome (README, "Logs"):
 * `Sentry -> ops-telegram sent "ZeroDivisionError: division by zero" attempt=1 ms=182 key=sentry:4211`
 */
export function logDelivery(
  logger: Logger,
  outcome: Outcome,
  event: AlertEvent,
  channel: string,
  fields: { attempt: number; ms: number; reason?: string; error?: string; retryInMs?: number; digest?: number },
): void {
  const source = SOURCE_NAMES[event.source];
  const title = Array.from(event.title).slice(0, 160).join('');
  const level = outcome === 'failed' ? 'error' : outcome === 'retrying' ? 'warn' : 'info';
  logger.log(level, `${source} -> ${channel} ${outcome} ${JSON.stringify(title)}`, {
    attempt: fields.attempt,
    ms: fields.ms,
    key: event.dedupKey,
    ...(fields.digest !== undefined ? { digest: fields.digest } : {}),
    ...(fields.reason ? { reason: fields.reason } : {}),
    ...(fields.retryInMs !== undefined ? { retryIn: `${Math.ceil(fields.retryInMs / 1000)}s` } : {}),
    ...(fields.error ? { error: fields.error } : {}),
    source,
    channel,
    outcome,
    title,
  });
}
