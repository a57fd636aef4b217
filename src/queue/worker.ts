import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Channel, SendReceipt } from '../channels/channel';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../channels/delivery-errors';
import type { DedupGate } from '../dedup/dedup-gate';
import { SOURCE_NAMES } from '../normalize/event';
import type { Logger } from '../observability/logger';
import type { DeliveryMetrics } from '../observability/metrics';
import type { Renderer, RenderTarget } from '../render/render';
import { RenderError, type RenderedMessage } from '../render/rendered-message';
import { createBackoffStrategy, providerWaitMs } from './backoff';
import { queueNameFor, type DeliveryJobData, type DeliveryResult } from './delivery-job';
import { logDelivery } from './delivery-log';
import { digestSummary } from './digest-summary';
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
  connection: Redis;
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
}

/** Rate-limit waits use no attempts, so this bounds them instead. */
const RATE_LIMIT_DEADLINE_MS = 24 * 3600_000;

/** Renders and sends one channel's jobs; BullMQ does the retrying, pacing and recovery. */
export function createDeliveryWorker(options: DeliveryWorkerOptions): Worker<DeliveryJobData, DeliveryResult> {
  const { channel, queue, logger, metrics } = options;
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
    const elapsed = () => Date.now() - started;
    try {
      await holdBehindPredecessor(job, queue, token);
      const message = await messageFor(job).catch(permanentIfRenderError);
      if (!message) return { ms: elapsed() };
      const abort = AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.stopSignal, ...(signal ? [signal] : [])]);
      const receipt = await timedSend(message, abort);
      logDelivery(logger, 'sent', event, channel.name, { attempt, ms: elapsed(), digest: job.data.summary?.repeats });
      // Delivered, but with something the operator should fix (recipients the provider skipped).
      if (receipt.warning) logger.warn(`${SOURCE_NAMES[event.source]} -> ${channel.name} sent with a warning: ${receipt.warning}`, { key: event.dedupKey });
      metrics.delivery(channel.name, 'sent');
      metrics.deliveryLatency(channel.name, (Date.now() - job.data.receivedAt) / 1000);
      return { providerMessageId: receipt.providerMessageId, ms: elapsed() };
    } catch (err) {
      if (err instanceof DelayedError) throw err; // waiting for this previous message: not an attempt
      if (err instanceof RateLimitedError && Date.now() - job.data.receivedAt > RATE_LIMIT_DEADLINE_MS) {
        // A destination that has throttled us for a day will not recover by waiting: make it a dead letter.
        logDelivery(logger, 'failed', event, channel.name, { attempt, ms: elapsed(), reason: err.reason, error: `still rate limited after 24 h: ${err.message}` });
        metrics.delivery(channel.name, 'failed', err.reason);
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
        throw Worker.RateLimitError();
      }
      const final = err instanceof PermanentDeliveryError || attempt >= (job.opts.attempts ?? 1);
      const reason = failureReason(err);
      logDelivery(logger, final ? 'failed' : 'retrying', event, channel.name, {
        attempt, ms: elapsed(), reason, error: (err as Error).message,
      });
      metrics.delivery(channel.name, final ? 'failed' : 'retried', reason);
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
    if (job.data.kind !== 'digest' || !window) return options.renderer.render(event, options.target);
    const summary = await digestSummary(job, options.gate);
    if (summary.repeats === 0) return undefined;
    return options.renderer.renderDigest(event, { ...summary, windowMs: window.ms }, options.target);
  }

  /** The provider call alone, timed for the provider-duration histogram whatever its answer. */
  async function timedSend(message: RenderedMessage, abort: AbortSignal): Promise<SendReceipt> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const receipt = await channel.send(message, abort);
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
