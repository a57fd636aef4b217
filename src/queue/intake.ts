import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
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

export function createIntakeQueue(connection: Redis, prefix: string, onError: (err: Error) => void): IntakeQueue {
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

/** The intake job for a webhook's routed alerts, in the generation `receivedAt` falls in. */
export function intakeJob(
  alerts: RoutedEvent[],
  receivedAt: number,
  generation: number,
): { name: string; data: IntakeJobData; opts: { jobId: string } } {
  return { name: alerts[0]?.event.source ?? 'empty', data: { alerts, receivedAt }, opts: { jobId: intakeJobId(alerts.map(({ event }) => event), generation) } };
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
