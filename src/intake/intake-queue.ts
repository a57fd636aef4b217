import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { AlertEvent } from '../normalize/event';

/** One alert and the channels its routes chose. */
export interface RoutedEvent {
  event: AlertEvent;
  channels: string[];
}

/**
 * One accepted webhook: its alerts with their channels, in the sender's order. What ingest
 * stores before answering 202: one job per webhook rather than per alert, because adding a job
 * is most of what ingest costs and an Alertmanager group carries many alerts.
 */
export interface IntakeJobData {
  alerts: RoutedEvent[];
  receivedAt: number;
  /**
   * Facts every alert of the webhook shares (an Alertmanager group's externalURL, receiver, group
   * key and counts, a common link), stored once here instead of once per alert: 1000 alerts must
   * not mean 1000 copies. Each alert in `alerts` lacks them; `intakeAlerts` puts them back.
   */
  shared?: { url?: string; extra: Record<string, string | number> };
}

/**
 * The largest intake job ingest stores. Normalization caps every field, so a webhook within the
 * body limit stays far below this; a webhook that is still over it is refused (413), because
 * Redis keeps each job in memory and in every fan-out it makes.
 */
export const MAX_INTAKE_JOB_BYTES = 4 * 1024 * 1024;

/** The routed webhook is over MAX_INTAKE_JOB_BYTES once normalized: refused before anything is stored. */
export class IntakeJobTooLargeError extends Error {
  override readonly name = 'IntakeJobTooLargeError';
  constructor(readonly bytes: number) {
    super(`these alerts take ${bytes} bytes once normalized, over the ${MAX_INTAKE_JOB_BYTES}-byte limit per webhook; send fewer alerts per request (max_alerts in the webhook_config)`);
  }
}

export type IntakeQueue = Queue<IntakeJobData, IntakeResult>;

export interface IntakeResult {
  /** Per alert, in order; per channel: a delivery job id, or "suppressed"/"duplicate". */
  outcomes: Array<Record<string, string>>;
}

export const INTAKE_QUEUE = 'intake';

/**
 * Intake jobs only fan out to the delivery queues, so they are short-lived: keep an hour of them
 * (the idempotency marker, not this, is what remembers a webhook for an hour).
 */
export const INTAKE_RETENTION = {
  completed: { age: 3600, count: 1000 },
  failed: { age: 14 * 24 * 3600, count: 10_000 },
} as const;

export function createIntakeQueue(connection: Redis | Cluster, prefix: string, onError: (err: Error) => void): IntakeQueue {
  const queue: IntakeQueue = new Queue(INTAKE_QUEUE, {
    connection,
    prefix,
    skipWaitingForReady: true,
    defaultJobOptions: {
      // Intake only talks to Redis; if Redis fails mid-way, the next attempt redoes the idempotent steps.
      attempts: 20,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: INTAKE_RETENTION.completed,
      removeOnFail: INTAKE_RETENTION.failed,
    },
  });
  queue.on('error', onError);
  return queue;
}

/**
 * The intake job for a webhook's routed alerts, in the generation `receivedAt` falls in, with the
 * facts they share stored once. Throws
 * IntakeJobTooLargeError when the job is over MAX_INTAKE_JOB_BYTES.
 */
export function intakeJob(
  alerts: RoutedEvent[],
  receivedAt: number,
  generation: number,
): { name: string; data: IntakeJobData; opts: { jobId: string } } {
  const data = factorShared(alerts, receivedAt);
  const bytes = Buffer.byteLength(JSON.stringify(data));
  if (bytes > MAX_INTAKE_JOB_BYTES) throw new IntakeJobTooLargeError(bytes);
  return { name: alerts[0]?.event.source ?? 'empty', data, opts: { jobId: intakeJobId(alerts.map(({ event }) => event), generation) } };
}

/** The job's alerts as the sender gave them: shared facts put back into each. Takes every stored shape. */
export function intakeAlerts(data: IntakeJobData | (RoutedEvent & { receivedAt: number })): RoutedEvent[] {
  // Version 0.1.0 stored one alert per intake job; such jobs may still wait in Redis after an upgrade.
  if (!('alerts' in data)) return [{ event: data.event, channels: data.channels }];
  const { shared } = data;
  if (!shared) return data.alerts;
  return data.alerts.map(({ event, channels }) => ({
    event: { ...event, ...(shared.url !== undefined && { url: shared.url }), extra: { ...shared.extra, ...event.extra } },
    channels,
  }));
}

function factorShared(alerts: RoutedEvent[], receivedAt: number): IntakeJobData {
  if (alerts.length < 2) return { alerts, receivedAt };
  const [first, ...rest] = alerts.map(({ event }) => event);
  const extra = Object.fromEntries(Object.entries(first!.extra).filter(([key, value]) => rest.every((event) => Object.hasOwn(event.extra, key) && event.extra[key] === value)));
  const url = first!.url !== undefined && rest.every((event) => event.url === first!.url) ? first!.url : undefined;
  if (Object.keys(extra).length === 0 && url === undefined) return { alerts, receivedAt };
  const own = alerts.map(({ event, channels }) => {
    const { url: ownUrl, ...others } = event;
    return {
      event: { ...others, ...(url === undefined && ownUrl !== undefined && { url: ownUrl }), extra: Object.fromEntries(Object.entries(event.extra).filter(([key]) => !Object.hasOwn(extra, key))) },
      channels,
    };
  });
  return { alerts: own, receivedAt, shared: { ...(url !== undefined && { url }), extra } };
}

/**
 * The same webhook delivered twice by its sender maps to one intake job. (A group that changed in
 * between is a new job; the intake worker's seen marker drops the alerts it already handled.) The
 * generation keeps a later repeat from meeting the retained job of the first one, which BullMQ
 * would take for the same job and silently not add.
 */
export function intakeJobId(events: ReadonlyArray<Pick<AlertEvent, 'identity'>>, generation: number): string {
  const hash = createHash('sha256').update(`intake\0${generation}`);
  for (const { identity } of events) hash.update(`\0${identity}`);
  return hash.digest('hex').slice(0, 32);
}
