import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createDedupGate } from '../../src/dedup/dedup-gate';
import { createSeenMarker } from '../../src/dedup/seen-marker';
import type { AlertEvent } from '../../src/normalize/event';
import { createLogger } from '../../src/observability/logger';
import { deliveryJobId, generationOf, legacyDeliveryJobId } from '../../src/queue/delivery-job';
import { createIntakeQueue, intakeJob, type IntakeJobData, type IntakeQueue } from '../../src/intake/intake-queue';
import { createIntakeWorker } from '../../src/intake/intake-worker';
import { createDeliveryQueues, type DeliveryQueue } from '../../src/queue/queues';
import { removeKeys, testRedisUrl, uniquePrefix } from '../support/test-redis';
import { waitFor } from '../support/wait-for';

function event(identity: string, status: AlertEvent['status'] = 'firing'): AlertEvent {
  return {
    source: 'sentry', status, severity: 'error', title: 'KeyError in checkout', labels: {}, annotations: {},
    occurredAt: '2026-11-22T10:00:00.000Z', dedupKey: 'sentry:4211', identity, extra: {},
  };
}

const REMEMBER_MS = 3600_000;
// Every job in these tests is received now: in the generation of now.
const idOf = (e: AlertEvent, channel: string) => deliveryJobId(e, channel, generationOf(Date.now(), REMEMBER_MS));

describe('intake: from accepted notifications to delivery jobs (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let intake: IntakeQueue;
  let queues: Map<string, DeliveryQueue>;
  let worker: Worker;
  const logs: string[] = [];

  beforeEach(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    prefix = uniquePrefix('intake');
    intake = createIntakeQueue(redis, prefix, () => undefined);
    queues = createDeliveryQueues(['ops', 'chat'], redis, { redis: { url: '', prefix }, delivery: { attempts: 3, backoff: 100, timeout: 1000, concurrency: 1, stalledInterval: 30_000, maxRetryAfter: 3_600_000 } }, () => undefined);
    logs.length = 0;
    const logger = createLogger({ level: 'info', format: 'text', secrets: [], stream: new Writable({ write: (c: Buffer, _e, done) => (logs.push(c.toString()), done()) }) });
    worker = createIntakeWorker({
      queues, logger, connection: redis, prefix, digest: true, windowMs: 60_000, rememberMs: REMEMBER_MS, stalledIntervalMs: 30_000, metrics: { delivery: () => undefined },
      gate: createDedupGate(redis, { prefix, windowMs: 60_000 }),
      seen: createSeenMarker(redis, { prefix, rememberMs: 60_000 }),
    });
  });
  afterEach(async () => {
    await worker.close();
    await Promise.all([intake.close(), ...[...queues.values()].map((q) => q.close())]);
    redis.disconnect();
    await removeKeys(prefix);
  });

  const add = (e: AlertEvent, channels = ['ops', 'chat']) => {
    const job = intakeJob([{ event: e, channels }], Date.now(), generationOf(Date.now(), REMEMBER_MS));
    return intake.add(job.name, job.data, job.opts);
  };
  const drained = () =>
    waitFor(async () => {
      const counts = await intake.getJobCounts('waiting', 'active', 'delayed');
      return Object.values(counts).every((n) => n === 0) || undefined;
    }, 'the intake queue to drain');

  it('when 50 repeats of one issue arrive, then each channel gets one message and one delayed digest', async () => {
    for (let i = 0; i < 50; i++) await add(event(`e${i}`));
    await drained();
    for (const queue of queues.values()) {
      expect(await queue.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 1, delayed: 1 });
      const [digest] = await queue.getDelayed();
      expect(digest?.data).toMatchObject({ kind: 'digest', window: { ms: 60_000 }, after: idOf(event('e0'), digest!.data.channel) });
    }
    expect(logs.filter((line) => line.includes(' suppressed '))).toHaveLength(49 * 2);
  });

  it('when the same notification is fanned out again after its first run, then nothing new is queued', async () => {
    await add(event('e1'));
    await drained();
    await intake.obliterate({ force: true }); // as if the retained intake job had aged out
    await add(event('e1'));
    await drained();
    expect(await queues.get('ops')!.getJobCounts('waiting')).toEqual({ waiting: 1 });
    expect(logs.some((line) => line.includes('duplicate webhook ignored'))).toBe(true);
  });

  it('when an intake job runs again after a crash before its seen marker was set, then no second delivery is queued and a log line says why', async () => {
    await add(event('e1'), ['ops']);
    await drained();
    const queued = (await queues.get('ops')!.getWaiting()).map((j) => j.id);
    // As if the process died between adding the delivery and marking the notification seen.
    await redis.del(...(await redis.keys(`${prefix}:seen:*`)));
    await intake.obliterate({ force: true });
    await add(event('e1'), ['ops']);
    await drained();
    expect((await queues.get('ops')!.getWaiting()).map((j) => j.id)).toEqual(queued);
    expect(logs.filter((line) => line.includes(`not queued again for ops: "KeyError in checkout" is delivery ${queued[0]}, already waiting`))).toHaveLength(1);
  });

  it('when one webhook carries several issues, then each alert becomes its own delivery per channel, and a resend adds none', async () => {
    const group = ['g1', 'g2', 'g3'].map((id) => ({ ...event(id), dedupKey: `alertmanager:${id}` }));
    const job = intakeJob(group.map((e) => ({ event: e, channels: ['ops', 'chat'] })), Date.now(), generationOf(Date.now(), REMEMBER_MS));
    await intake.add(job.name, job.data, job.opts);
    await drained();
    await intake.obliterate({ force: true }); // the retained job aged out; Alertmanager repeats the group
    await intake.add(job.name, job.data, job.opts);
    await drained();
    for (const [channel, queue] of queues) {
      const ids = (await queue.getWaiting()).map((j) => j.id).sort();
      expect(ids).toEqual(group.map((e) => idOf(e, channel)).sort());
    }
    expect(logs.filter((line) => line.includes('duplicate webhook ignored'))).toHaveLength(3);
  });

  it('when an intake job stored by the previous version (one alert, no list) waits after an upgrade, then it is still delivered', async () => {
    const old = event('v010');
    await intake.add(old.source, { event: old, channels: ['ops'], receivedAt: Date.now() } as unknown as IntakeJobData);
    await drained();
    expect((await queues.get('ops')!.getWaiting()).map((j) => j.id)).toEqual([idOf(old, 'ops')]);
  });

  it('when an issue resolves, then the resolved message names the firing one it must follow', async () => {
    await add(event('f1', 'firing'), ['ops']);
    await add(event('r1', 'resolved'), ['ops']);
    await drained();
    const resolved = await queues.get('ops')!.getJob(idOf(event('r1'), 'ops'));
    expect(resolved?.data.after).toBe(idOf(event('f1'), 'ops'));
  });

  it('when the firing message was queued by the previous version (ids without a generation), then the resolved one still follows it', async () => {
    // The dedup state that version left: the window's opener by identity, no job id.
    await redis.hset(`${prefix}:dedup:{ops\0sentry:4211}`, {
      status: 'firing', windowId: 'w-old', until: String(Date.now() + 60_000),
      opener: createHash('sha1').update('f-old').digest('hex'), openerIdentity: 'f-old',
    });
    await add(event('r2', 'resolved'), ['ops']);
    await drained();
    const resolved = await queues.get('ops')!.getJob(idOf(event('r2'), 'ops'));
    expect(resolved?.data.after).toBe(legacyDeliveryJobId('f-old', 'ops'));
  });
});
