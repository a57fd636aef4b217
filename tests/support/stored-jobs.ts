import { Redis } from 'ioredis';
import type { AlertEvent } from '../../src/normalize/event';
import { configSchema } from '../../src/config/schema';
import { rememberMsOf } from '../../src/dedup/seen-marker';
import { deliveryJobId, generationOf } from '../../src/queue/delivery-job';
import { intakeAlerts, type IntakeJobData } from '../../src/intake/intake-queue';
import { testRedisUrl } from './test-redis';

/** The tests that read stored jobs run with the default dedup settings. */
const REMEMBER_MS = rememberMsOf(configSchema.parse({}).dedup);

export interface StoredJob {
  queue: string;
  id: string;
  /** The job's data as BullMQ stored it (JSON text parsed). */
  data: unknown;
  /** Still in the intake queue: the delivery it will become once fanned out to its channel. */
  pending?: boolean;
}

/**
 * Every BullMQ job stored under `prefix`, whatever queue holds it (delivery queues, intake, ...):
 * a job is a hash `<prefix>:<queue>:<id>` with a `data` field. Lets a test prove that rejected
 * input left nothing behind without knowing which queues exist.
 */
export async function storedJobs(prefix: string, url = testRedisUrl()): Promise<StoredJob[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const jobs: StoredJob[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const parts = key.slice(prefix.length + 1).split(':');
        if (parts.length !== 2) continue;
        const data = await redis.hget(key, 'data').catch(() => null);
        if (data !== null) jobs.push({ queue: parts[0]!, id: parts[1]!, data: JSON.parse(data) as unknown });
      }
    } while (cursor !== '0');
    return deliveriesOf(jobs);
  } finally {
    redis.disconnect();
  }
}

/**
 * Ingest stores one intake job per webhook, which the intake worker fans out into one delivery
 * job per alert and channel, with ids the 202 answer already named. An intake job stands for those deliveries,
 * so tests can compare what was acknowledged with what Redis holds, whichever stage it is in.
 */
function deliveriesOf(jobs: StoredJob[]): StoredJob[] {
  const out = new Map<string, StoredJob>();
  for (const job of jobs) {
    if (job.queue !== 'intake') {
      out.set(`${job.queue}\0${job.id}`, job);
      continue;
    }
    const data = job.data as IntakeJobData;
    const { receivedAt } = data;
    for (const { event, channels } of intakeAlerts(data)) {
      for (const channel of channels) {
        const id = deliveryJobId(event, channel, generationOf(receivedAt, REMEMBER_MS));
        const key = `deliver.${channel}\0${id}`;
        if (!out.has(key)) out.set(key, { queue: `deliver.${channel}`, id, data: { event: event as AlertEvent, channel, receivedAt }, pending: true });
      }
    }
  }
  return [...out.values()];
}
