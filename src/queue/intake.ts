import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AlertEvent } from '../normalize/event';

/** One accepted notification and the channels its routes chose; what ingest stores before answering 202. */
export interface IntakeJobData {
  event: AlertEvent;
  channels: string[];
  receivedAt: number;
}

export type IntakeQueue = Queue<IntakeJobData, IntakeResult>;

export interface IntakeResult {
  /** Per channel: a delivery job id, or "suppressed"/"duplicate". */
  outcomes: Record<string, string>;
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

/** The same notification delivered twice by its sender maps to one intake job. */
export function intakeJobId(event: AlertEvent): string {
  return createHash('sha256').update(`intake\0${event.identity}`).digest('hex').slice(0, 32);
}
