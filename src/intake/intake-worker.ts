import { Worker, type Job } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { DedupGate } from '../dedup/dedup-gate';
import type { LifecyclePolicy } from '../lifecycle/config';
import type { LifecycleStore } from '../lifecycle/lifecycle-store';
import { scheduleAssignmentEdit, scheduleRepeatEdit } from '../lifecycle/schedule-edit';
import type { SeenMarker } from '../dedup/seen-marker';
import type { Logger } from '../observability/logger';
import type { DeliveryMetrics } from '../observability/metrics';
import { deliveryJobId, digestJobId, generationOf, legacyDeliveryJobId } from '../queue/delivery-job';
import { logDelivery } from '../queue/delivery-log';
import type { AlertEvent } from '../normalize/event';
import { INTAKE_QUEUE, INTAKE_RETENTION, intakeAlerts, type IntakeJobData, type IntakeResult } from './intake-queue';
import type { DeliveryQueue } from '../queue/queues';
import { holdAlert } from '../policy/hold-alert';
import type { RoutePolicies } from '../policy/route-policy';
import type { SummaryStore } from '../policy/summary-store';
import type { HistoryRecorder } from '../history/history';
import { historyEventId } from '../history/event-id';

export interface IntakeWorkerOptions {
  queues: ReadonlyMap<string, DeliveryQueue>;
  gate: DedupGate;
  seen: SeenMarker;
  /** Send one digest after a window in which repeats were suppressed. */
  digest: boolean;
  windowMs: number;
  /** How long a notification is remembered (the seen marker's lifetime): the length of a delivery generation. */
  rememberMs: number;
  /** Lock lifetime and stalled-job check interval: how soon a crashed process's jobs run again. */
  stalledIntervalMs: number;
  logger: Logger;
  metrics: Pick<DeliveryMetrics, 'delivery'>;
  connection: Redis | Cluster;
  prefix: string;
  /** Digest and mute routes (README, "Notification policy"): their alerts are held for a summary. */
  policy?: { routes: RoutePolicies; store: SummaryStore; now: () => number };
  /** Channels whose repeats edit the living message instead of a digest (README, "One message per incident"). */
  lifecycle?: { store: LifecycleStore; policies: ReadonlyMap<string, LifecyclePolicy> };
  /** Records each alert and its fan-out outcomes (pending, suppressed); absent: nothing recorded. */
  history?: HistoryRecorder;
}

/**
 * Between ingest and the rate-limited delivery queues: drops sender retries, lets the first
 * notification of an issue through and counts the repeats, so a storm never queues thousands
 * of messages behind a 20-per-minute robot. Every step is idempotent, so a crash only means the
 * job runs again. One job at a time per process keeps an issue's notifications in arrival order.
 */
export function createIntakeWorker(options: IntakeWorkerOptions): Worker<IntakeJobData, IntakeResult> {
  return new Worker<IntakeJobData, IntakeResult>(INTAKE_QUEUE, (job) => fanOut(job, options), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: 1,
    lockDuration: options.stalledIntervalMs,
    stalledInterval: options.stalledIntervalMs,
    removeOnComplete: INTAKE_RETENTION.completed,
    removeOnFail: INTAKE_RETENTION.failed,
  });
}

async function fanOut(job: Job<IntakeJobData, IntakeResult>, options: IntakeWorkerOptions): Promise<IntakeResult> {
  const outcomes: IntakeResult['outcomes'] = [];
  // In the sender's order; a retry after a crash redoes the alerts already handled, idempotently.
  for (const { event, channels } of intakeAlerts(job.data)) outcomes.push(await fanOutAlert(event, channels, job.data.receivedAt, options));
  return { outcomes };
}

async function fanOutAlert(event: AlertEvent, channels: readonly string[], receivedAt: number, options: IntakeWorkerOptions): Promise<Record<string, string>> {
  const started = Date.now();
  if (await options.seen.seen(event.identity)) {
    options.logger.info(`duplicate webhook ignored: ${JSON.stringify(event.title)}`, { key: event.dedupKey, identity: event.identity });
    return Object.fromEntries(channels.map((channel) => [channel, 'duplicate']));
  }
  const outcomes: Record<string, string> = {};
  const generation = generationOf(receivedAt, options.rememberMs);
  // The id the webhook's 202 listed; written here, off the ingest path. Not awaited: the gateway
  // gives the history the connection the dedup gate uses, whose next (awaited) answer comes after
  // this write ran, so the record exists before any delivery job does, and fan-out saves a round trip.
  const eventId = historyEventId(event, generation);
  void options.history?.recordEvent(eventId, event, receivedAt, channels);
  for (const channel of channels) {
    const queue = options.queues.get(channel);
    if (!queue) {
      // The config changed between ingest and now: nowhere to send it.
      options.logger.warn(`no channel "${channel}" any more; dropped ${JSON.stringify(event.title)}`, { key: event.dedupKey });
      outcomes[channel] = 'unknown channel';
      void options.history?.recordOutcome(eventId, channel, { outcome: 'failed', error: `no channel "${channel}" in the configuration any more` });
      continue;
    }
    if (event.extra.lifecycleOnly) {
      const skipped = options.lifecycle ? await scheduleAssignmentEdit(queue, options.lifecycle.store, options.lifecycle.policies.get(channel), event, channel, receivedAt) : 'assigned: lifecycle is off';
      if (skipped) logDelivery(options.logger, 'suppressed', event, channel, { attempt: 1, ms: Date.now() - started, reason: skipped });
      outcomes[channel] = skipped ? 'suppressed' : 'edit';
      continue;
    }
    const held = options.policy && (await holdFor(event, channel, queue, options.policy));
    if (held) {
      // A sender's retry of an alert already held ('duplicate') keeps the outcome its first copy recorded.
      if (held.outcome !== 'duplicate') void options.history?.recordOutcome(eventId, channel, { outcome: held.outcome, detail: `in summary ${held.summaryJob}`, jobId: held.summaryJob });
      logDelivery(options.logger, 'suppressed', event, channel, { attempt: 1, ms: Date.now() - started, reason: `${held.outcome}: in summary ${held.summaryJob}` });
      options.metrics.delivery(channel, 'suppressed');
      outcomes[channel] = held.outcome;
      continue;
    }
    // The same id ingest answered with; a retried intake job computes it again.
    const ownJobId = deliveryJobId(event, channel, generation);
    const decision = await options.gate.admit(channel, event, ownJobId);
    if (decision.kind === 'pass') {
      // No job id in the gate's answer only for a window opened before job ids were stored there.
      const jobId = decision.jobId ?? legacyDeliveryJobId(event.identity, channel);
      const after = decision.previousOpenerJob ?? (decision.previousOpener !== undefined ? legacyDeliveryJobId(decision.previousOpener, channel) : undefined);
      outcomes[channel] = jobId;
      // BullMQ adds nothing, and says nothing, for an id it still keeps: say it here.
      const state = await queue.getJobState(jobId);
      if (state !== 'unknown') {
        logExisting(options.logger, event, channel, jobId, state);
        continue;
      }
      await queue.add(event.source, { event, channel, receivedAt, eventId, ...(after && { after }) }, { jobId });
      continue;
    }
    const policy = options.lifecycle?.policies.get(channel);
    if (options.lifecycle && policy?.edit) {
      const openerJob = decision.openerJob ?? legacyDeliveryJobId(decision.opener, channel);
      await scheduleRepeatEdit(queue, options.lifecycle.store, policy, { event, channel, receivedAt, openerJob, eventId });
    } else if (options.digest) {
      // Asked for at every repeat, stored once: the job id names the window.
      await queue.add(
        'digest',
        // After the window's first message: a digest must not arrive before what it summarises.
        { kind: 'digest', event, channel, receivedAt, window: { id: decision.windowId, ms: options.windowMs }, after: decision.openerJob ?? legacyDeliveryJobId(decision.opener, channel) },
        { jobId: digestJobId(channel, event.dedupKey, decision.windowId), delay: Math.max(0, decision.windowEndsAt - Date.now()) },
      );
    }
    logDelivery(options.logger, 'suppressed', event, channel, {
      attempt: 1, ms: Date.now() - started, reason: `repeat ${decision.repeats} within the dedup window`,
    });
    options.metrics.delivery(channel, 'suppressed');
    void options.history?.recordOutcome(eventId, channel, { outcome: 'suppressed', detail: `repeat ${decision.repeats} within the dedup window` });
    outcomes[channel] = 'suppressed';
  }
  await options.seen.mark(event.identity);
  return outcomes;
}

/** Holds the alert for a summary when a digest or mute route says so; undefined: it goes on as usual. */
function holdFor(event: AlertEvent, channel: string, queue: DeliveryQueue, policy: NonNullable<IntakeWorkerOptions['policy']>) {
  if (!policy.routes.any) return undefined;
  return holdAlert(policy.store, queue, event, channel, (now) => policy.routes.decide(event, channel, now), policy.now());
}

/** A notification whose delivery job already exists: a retried intake job, or a resend the dedup window holds. */
function logExisting(logger: Logger, event: AlertEvent, channel: string, jobId: string, state: string): void {
  const fields = { key: event.dedupKey, job: jobId };
  if (state === 'failed') {
    logger.warn(`not sent again to ${channel}: ${JSON.stringify(event.title)} already failed for good as delivery ${jobId} (POST /deliveries/${jobId}/retry sends it)`, fields);
    return;
  }
  logger.info(`not queued again for ${channel}: ${JSON.stringify(event.title)} is delivery ${jobId}, already ${state}`, fields);
}
