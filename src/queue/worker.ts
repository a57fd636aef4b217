import { DelayedError, Worker, type Job } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Channel, SendReceipt } from '../channels/channel';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../channels/delivery-errors';
import type { DedupGate } from '../dedup/dedup-gate';
import { SOURCE_NAMES } from '../normalize/event';
import type { LifecyclePolicy } from '../lifecycle/config';
import type { EditMetrics, EditOutcome } from '../lifecycle/edit-metrics';
import { createLifecycleDelivery, type LifecycleOutcome } from '../lifecycle/lifecycle-delivery';
import type { LifecycleStore } from '../lifecycle/lifecycle-store';
import type { HistoryRecorder } from '../history/history';
import type { Logger } from '../observability/logger';
import type { DeliveryMetrics } from '../observability/metrics';
import type { Renderer, RenderTarget } from '../render/render';
import { RenderError, type RenderedMessage } from '../render/rendered-message';
import type { OutcomeUpdate } from '../history/record';
import { createBackoffStrategy, providerWaitMs } from './backoff';
import { queueNameFor, type DeliveryJobData, type DeliveryResult } from './delivery-job';
import { logDelivery } from './delivery-log';
import { digestSummary } from './digest-summary';
import { summaryFacts } from '../policy/summary-message';
import type { SummaryStore } from '../policy/summary-store';
import { holdBehindPredecessor } from './issue-order';
import { LimiterWorker } from './limiter-worker';
import type { DeliveryQueue } from './queues';
import type { RateLimit } from './rate-limits';
import { RETENTION } from './queues';

export interface DeliveryWorkerOptions {
  channel: Channel;
  target: RenderTarget;
  queue: DeliveryQueue;
  renderer: Renderer;
  logger: Logger;
  metrics: DeliveryMetrics;
  /** Where digests read what their dedup window held back. */
  gate: DedupGate;
  /** Where summaries (digest routes, mutes) read what their period held. */
  summaries?: SummaryStore;
  connection: Redis | Cluster;
  prefix: string;
  concurrency: number;
  backoffMs: number;
  timeoutMs: number;
  /** The longest a provider's retry-after pauses this channel (delivery.maxRetryAfter). */
  maxRetryAfterMs: number;
  /** Lock lifetime and stalled-job check interval: how soon a crashed process's jobs run again. */
  stalledIntervalMs: number;
  rateLimit?: RateLimit;
  /** Aborted when shutdown's grace period is over: in-flight sends stop and their jobs are retried later. */
  stopSignal: AbortSignal;
  /** One living message per incident (README, "One message per incident"); absent: one message per notification. */
  lifecycle?: { store: LifecycleStore; policy: LifecyclePolicy; metrics: EditMetrics };
  /** Records sent, retrying and failed per alert; absent: nothing recorded. */
  history?: HistoryRecorder;
  /** Self-monitoring: a delivery that failed for good on an unexpected error (a bug, not a provider's answer). */
  reportError?: (err: unknown) => void;
}

/** Rate-limit waits use no attempts, so this bounds them instead. */
const RATE_LIMIT_DEADLINE_MS = 24 * 3600_000;

/** Renders and sends one channel's jobs; BullMQ does the retrying, pacing and recovery. */
export function createDeliveryWorker(options: DeliveryWorkerOptions): Worker<DeliveryJobData, DeliveryResult> {
  const { channel, queue, logger, metrics } = options;
  const lifecycle = options.lifecycle && createLifecycleDelivery({
    channel, renderer: options.renderer, target: options.target, store: options.lifecycle.store, policy: options.lifecycle.policy,
    timed: (call) => timed(call), onEdit: (job, outcome, messageId) => editSettled(job, outcome, messageId),
    // A job makes up to three provider calls (edit, a new message, a reply), each within the timeout.
    holdMs: 3 * options.timeoutMs + 5000,
  });
  const worker = new LimiterWorker<DeliveryJobData, DeliveryResult>(queueNameFor(channel.name), (job, token, signal) => deliver(job, token, signal), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.stalledIntervalMs,
    stalledInterval: options.stalledIntervalMs,
    limiter: options.rateLimit ? { max: options.rateLimit.max, duration: options.rateLimit.durationMs } : undefined,
    settings: { backoffStrategy: createBackoffStrategy(options.backoffMs) },
    removeOnComplete: RETENTION.completed,
    removeOnFail: RETENTION.failed,
  });

  async function deliver(job: Job<DeliveryJobData, DeliveryResult>, token?: string, signal?: AbortSignal): Promise<DeliveryResult> {
    const { event } = job.data;
    const attempt = job.attemptsMade + 1;
    const started = Date.now();
    // Digests report on a window, not on one alert: their record is the digested outcome, written elsewhere.
    const record = (update: OutcomeUpdate) =>
      job.data.eventId && job.data.kind !== 'digest' && job.data.kind !== 'summary' ? options.history?.recordOutcome(job.data.eventId, channel.name, { ...update, ...(job.id && { jobId: job.id }) }) : undefined;
    const elapsed = () => Date.now() - started;
    try {
      await holdBehindPredecessor(job, queue, token);
      const abort = AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.stopSignal, ...(signal ? [signal] : [])]);
      // Digests and policy summaries are messages of their own, outside any incident's living message.
      if (lifecycle && job.data.kind !== 'digest' && job.data.kind !== 'summary') {
        const outcome = await lifecycle.deliver(job, abort, token).catch(permanentIfRenderError);
        await record(lifecycleRecord(outcome, attempt));
        return settled(job, outcome, attempt, elapsed());
      }
      const message = await messageFor(job).catch(permanentIfRenderError);
      if (!message) return { ms: elapsed() };
      const receipt = await timedSend(message, abort);
      warnFallback(event, receipt.fallback);
      logDelivery(logger, 'sent', event, channel.name, { attempt, ms: elapsed(), digest: job.data.summary?.repeats ?? job.data.policy?.facts?.total });
      warnSkipped(event, receipt.warning);
      metrics.delivery(channel.name, 'sent');
      metrics.deliveryLatency(channel.name, (Date.now() - job.data.receivedAt) / 1000);
      await record({ outcome: 'sent', attempts: attempt, ...(receipt.providerMessageId !== undefined && { providerMessageId: receipt.providerMessageId }) });
      return { providerMessageId: receipt.providerMessageId, ms: elapsed() };
    } catch (err) {
      if (err instanceof DelayedError) throw err; // waiting for this previous message: not an attempt
      if (err instanceof RateLimitedError && Date.now() - job.data.receivedAt > RATE_LIMIT_DEADLINE_MS) {
        // A destination that has throttled us for a day will not recover by waiting: make it a dead letter.
        logDelivery(logger, 'failed', event, channel.name, { attempt, ms: elapsed(), reason: err.reason, error: `still rate limited after 24 h: ${err.message}` });
        metrics.delivery(channel.name, 'failed', err.reason);
        await record({ outcome: 'failed', attempts: attempt, error: `still rate limited after 24 h: ${err.message}` });
        throw new PermanentDeliveryError('rateLimited', `still rate limited after 24 h: ${err.message}`);
      }
      if (err instanceof RateLimitedError) {
        // The provider's wait applies to the whole destination, and does not use up an attempt.
        const waitMs = providerWaitMs(err.retryAfterMs, options.maxRetryAfterMs);
        await queue.rateLimit(waitMs);
        const capped = waitMs < err.retryAfterMs ? ` (asked to wait ${Math.ceil(err.retryAfterMs / 1000)}s; capped by delivery.maxRetryAfter)` : '';
        logDelivery(logger, 'retrying', event, channel.name, {
          attempt, ms: elapsed(), reason: err.reason, retryInMs: waitMs, error: `${err.message}${capped}`,
        });
        metrics.delivery(channel.name, 'retried', err.reason);
        metrics.rateLimitWait(channel.name, waitMs / 1000);
        await record({ outcome: 'retrying', attempts: attempt, error: `${err.message}${capped}`, detail: `rate limited; next try in ${Math.ceil(waitMs / 1000)}s` });
        throw Worker.RateLimitError();
      }
      const final = err instanceof PermanentDeliveryError || attempt >= (job.opts.attempts ?? 1);
      const reason = failureReason(err);
      logDelivery(logger, final ? 'failed' : 'retrying', event, channel.name, {
        attempt, ms: elapsed(), reason, error: (err as Error).message,
      });
      metrics.delivery(channel.name, final ? 'failed' : 'retried', reason);
      await record({ outcome: final ? 'failed' : 'retrying', attempts: attempt, error: (err as Error).message });
      if (final && reason === 'unexpected') options.reportError?.(err);
      throw err;
    }
  }

  /** A template that fails on this event fails on every retry too: give up at once. */
  function permanentIfRenderError(err: unknown): never {
    if (err instanceof RenderError) throw new PermanentDeliveryError('renderError', err.message, { cause: err });
    throw err;
  }

  /** The alert's message, or a digest's; undefined for a digest whose window held nothing back. */
  async function messageFor(job: Job<DeliveryJobData, DeliveryResult>): Promise<RenderedMessage | undefined> {
    const { event, window } = job.data;
    if (job.data.kind === 'summary' && options.summaries) {
      const facts = await summaryFacts(job, options.summaries);
      return facts && facts.total > 0 ? options.renderer.renderSummary(facts, options.target) : undefined;
    }
    if (job.data.kind !== 'digest' || !window) return options.renderer.render(event, options.target);
    const summary = await digestSummary(job, options.gate);
    if (summary.repeats === 0) return undefined;
    return options.renderer.renderDigest(event, { ...summary, windowMs: window.ms }, options.target);
  }

  /** What a lifecycle step did, as the one log line and the metrics of a delivery. */
  function settled(job: Job<DeliveryJobData, DeliveryResult>, outcome: LifecycleOutcome, attempt: number, ms: number): DeliveryResult {
    const { event } = job.data;
    if (outcome.kind === 'skipped') {
      logDelivery(logger, 'suppressed', event, channel.name, { attempt, ms, reason: outcome.reason });
      metrics.delivery(channel.name, 'suppressed');
      return { ms };
    }
    warnFallback(event, outcome.fallback);
    if (outcome.kind === 'sent') warnSkipped(event, outcome.warning);
    logDelivery(logger, outcome.kind, event, channel.name, { attempt, ms, ...(outcome.kind === 'edited' && outcome.unchanged && { reason: 'not modified' }) });
    if (outcome.kind === 'sent' || outcome.replied) {
      metrics.delivery(channel.name, 'sent');
      metrics.deliveryLatency(channel.name, (Date.now() - job.data.receivedAt) / 1000);
    }
    return { ...(outcome.providerMessageId && { providerMessageId: outcome.providerMessageId }), ms };
  }

  function editSettled(_job: Job<DeliveryJobData, DeliveryResult>, outcome: EditOutcome, _messageId: string): void {
    options.lifecycle?.metrics.edit(channel.name, outcome);
  }

  /** Delivered, but with something the operator should fix (recipients the provider skipped). */
  function warnSkipped(event: DeliveryJobData['event'], warning: string | undefined): void {
    if (warning) logger.warn(`${SOURCE_NAMES[event.source]} -> ${channel.name} sent with a warning: ${warning}`, { key: event.dedupKey });
  }

  /** The provider refused the formatting and got plain text: delivered, but someone should fix the template or escaping. */
  function warnFallback(event: DeliveryJobData['event'], fallback: string | undefined): void {
    if (fallback) logger.warn(`${channel.name}: formatting fallback for ${JSON.stringify(event.title)}: ${fallback}`, { key: event.dedupKey, channel: channel.name, fallback });
  }

  async function timedSend(message: RenderedMessage, abort: AbortSignal): Promise<SendReceipt> {
    return timed(() => channel.send(message, abort));
  }

  /** The provider call alone, timed for the provider-duration histogram whatever its answer. */
  async function timed<T>(call: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const receipt = await call();
      metrics.providerCall(channel.name, 'ok', seconds());
      return receipt;
    } catch (err) {
      metrics.providerCall(channel.name, failureReason(err), seconds());
      throw err;
    }
  }

  return worker;
}

/** A bounded label and log field: the channel's classification, or "unexpected" for a bug. */
function failureReason(err: unknown): string {
  return err instanceof PermanentDeliveryError || err instanceof RetryableDeliveryError || err instanceof RateLimitedError ? err.reason : 'unexpected';
}

/** What a lifecycle step did, as the alert's history outcome on this channel. */
function lifecycleRecord(outcome: LifecycleOutcome, attempts: number): OutcomeUpdate {
  if (outcome.kind === 'skipped') return { outcome: 'suppressed', attempts, detail: outcome.reason };
  const providerMessageId = outcome.providerMessageId;
  return { outcome: outcome.kind, attempts, ...(providerMessageId !== undefined && { providerMessageId }), ...(outcome.kind === 'edited' && outcome.unchanged && { detail: 'not modified' }) };
}
