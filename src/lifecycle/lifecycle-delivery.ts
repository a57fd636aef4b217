import { DelayedError, type Job } from 'bullmq';
import type { Channel, EditReceipt, SendOptions, SendReceipt } from '../channels/channel';
import { MessageNotEditableError } from '../channels/edit-errors';
import type { AlertEvent } from '../normalize/event';
import type { DeliveryJobData, DeliveryResult } from '../queue/delivery-job';
import type { LifecycleFacts, Renderer, RenderTarget } from '../render/render';
import type { RenderedMessage } from '../render/rendered-message';
import type { LifecyclePolicy } from './config';
import type { EditOutcome } from './edit-metrics';
import type { LifecycleState, LifecycleStore } from './lifecycle-store';

/** What one delivery job did to the chat. */
export type LifecycleOutcome =
  | { kind: 'sent'; providerMessageId?: string; fallback?: string; warning?: string }
  | { kind: 'edited'; providerMessageId: string; unchanged: boolean; replied: boolean; fallback?: string }
  | { kind: 'skipped'; reason: string };

export interface LifecycleDeliveryOptions {
  channel: Channel;
  renderer: Renderer;
  target: RenderTarget;
  store: LifecycleStore;
  policy: LifecyclePolicy;
  /** Wraps each provider call (the provider-duration histogram). */
  timed: <T>(call: () => Promise<T>) => Promise<T>;
  /** Told every edit's outcome, for metrics and history. */
  onEdit: (job: Job<DeliveryJobData, DeliveryResult>, outcome: EditOutcome, messageId: string) => void;
  /** How long one job may hold its incident (the delivery timeout and a margin): a killed process's hold ends then. */
  holdMs: number;
}

/** How soon a job that found its incident busy looks again. */
const BUSY_RECHECK_MS = 250;

type DeliveryJob = Job<DeliveryJobData, DeliveryResult>;

/**
 * One incident's messages on one channel (README, "One message per incident"): the first message
 * is remembered; repeats, assigned, archived and resolved edit it where the channel can edit, or
 * become follow-ups naming it where it cannot; a regression replies to it.
 */
export function createLifecycleDelivery(options: LifecycleDeliveryOptions) {
  const { channel, renderer, target, store, policy } = options;
  const canEdit = policy.edit && channel.edit !== undefined;
  const send = (message: RenderedMessage, abort: AbortSignal, sendOptions?: SendOptions) =>
    options.timed<SendReceipt>(() => channel.send(message, abort, sendOptions));
  const facts = (state: LifecycleState, count: number, extra: Partial<LifecycleFacts> = {}): LifecycleFacts => ({
    count, firstFiredAt: state.firstFiredAt, lastSeenAt: state.lastSeenAt, ...(state.assignee && { assignee: state.assignee }), ...extra,
  });

  /** Edits the living message; one that is gone or too old is sent again as a new living message. */
  async function editOrReplace(job: DeliveryJob, state: LifecycleState & { messageId: string }, message: RenderedMessage, abort: AbortSignal): Promise<LifecycleOutcome> {
    let receipt: EditReceipt;
    try {
      receipt = await options.timed(() => channel.edit!(state.messageId, message, abort));
    } catch (err) {
      if (!(err instanceof MessageNotEditableError)) {
        options.onEdit(job, 'failed', state.messageId);
        throw err;
      }
      const sent = await send(message, abort);
      const { providerMessageId: messageId, chatId, threadId } = sent;
      await store.update(channel.name, job.data.event.dedupKey, { ...(messageId && { messageId }), ...(chatId && { chatId }), ...(threadId && { threadId }) });
      options.onEdit(job, 'replaced', state.messageId);
      return { kind: 'sent', ...sent, warning: `could not edit message ${state.messageId} (${err.message}); sent a new one` };
    }
    options.onEdit(job, receipt.unchanged ? 'unchanged' : 'edited', state.messageId);
    return { kind: 'edited', providerMessageId: state.messageId, unchanged: receipt.unchanged, replied: false, ...(receipt.fallback && { fallback: receipt.fallback }) };
  }

  /** A new living message; the in-flight marker tells a retry whether this job's send may have reached the chat. */
  async function sendFirst(job: DeliveryJob, event: AlertEvent, previous: LifecycleState | undefined, abort: AbortSignal): Promise<LifecycleOutcome> {
    const jobId = job.id ?? '';
    const interrupted = (await store.inFlight(channel.name, event.dedupKey)) === jobId;
    await store.beginSend(channel.name, event.dedupKey, jobId);
    // A regression replies to the message of the incident it reopens.
    const replyTo = previous && previous.status !== 'firing' ? previous.messageId : undefined;
    let receipt: SendReceipt;
    try {
      receipt = await send(renderer.render(event, target), abort, replyTo ? { replyTo } : undefined);
    } catch (err) {
      await store.endSend(channel.name, event.dedupKey, jobId);
      throw err;
    }
    const now = Date.now();
    await store.recordSent(channel.name, event.dedupKey, {
      status: 'firing', title: event.title, firstFiredAt: firedAt(event, now), lastSeenAt: now, sentBy: jobId,
      ...(receipt.providerMessageId && { messageId: receipt.providerMessageId }),
      ...(receipt.chatId && { chatId: receipt.chatId }),
      ...(receipt.threadId && { threadId: receipt.threadId }),
    });
    await store.noteOccurrence(channel.name, event.dedupKey, jobId, event.identity, now);
    const warning = interrupted ? 'an earlier attempt was stopped mid-send (process killed?); that one may also have reached the chat' : undefined;
    return { kind: 'sent', ...receipt, ...(warning && { warning }) };
  }

  /** Resolved or archived: the living message shows the end, and (resolved) a short reply tells the chat. */
  async function end(job: DeliveryJob, event: AlertEvent, state: LifecycleState, archived: boolean, abort: AbortSignal): Promise<LifecycleOutcome> {
    const { dedupKey } = event;
    const jobId = job.id ?? '';
    const ended = facts(state, await store.occurrences(channel.name, dedupKey, state.sentBy), { endedAt: endedAt(event), archived });
    const status = archived ? 'archived' : 'resolved';
    if (!canEdit || !state.messageId) {
      // Robots cannot edit: one follow-up naming the original (title, when it fired, how long it lasted).
      if (state.resolvedBy === jobId) return { kind: 'sent' };
      const receipt = await send(renderer.renderFollowUp(event, ended, { title: state.title }, target), abort);
      await store.update(channel.name, dedupKey, { status, resolvedBy: jobId });
      return { kind: 'sent', ...receipt };
    }
    const living = { ...state, messageId: state.messageId };
    const editStep = archived || policy.resolved !== 'reply';
    // An earlier attempt of this job may have done the edit already: then only the reply is left.
    let edited: LifecycleOutcome | undefined = editStep ? { kind: 'edited', providerMessageId: living.messageId, unchanged: true, replied: false } : undefined;
    if (editStep && state.resolvedBy !== jobId) {
      edited = await editOrReplace(job, living, renderer.render(event, target, ended), abort);
      await store.update(channel.name, dedupKey, { status, resolvedBy: jobId });
      // A replacement already told the chat; archived posts nothing new (docs: neither posts a new message).
      if (edited.kind === 'sent' || archived) return edited;
    }
    if (!archived && policy.resolved !== 'edit' && state.repliedBy !== jobId) {
      const reply = await send(renderer.renderFollowUp(event, ended, { title: state.title }, target), abort, { replyTo: living.messageId });
      await store.update(channel.name, dedupKey, { status, resolvedBy: jobId, repliedBy: jobId });
      return edited?.kind === 'edited' ? { ...edited, replied: true, ...(reply.fallback && { fallback: reply.fallback }) } : { kind: 'sent', ...reply };
    }
    return edited ?? { kind: 'sent' };
  }

  async function deliverAlert(job: DeliveryJob, abort: AbortSignal): Promise<LifecycleOutcome> {
    const { event } = job.data;
    const state = await store.get(channel.name, event.dedupKey);
    const action = event.extra.issueAction;
    // Retried after its message was recorded (a crash before the job completed): never a second first message.
    if (state && state.sentBy === job.id && state.sending !== job.id && event.status === 'firing' && action !== 'assigned') {
      return { kind: 'sent', ...(state.messageId && { providerMessageId: state.messageId }), warning: 'already sent by an earlier attempt of this job; not sent again' };
    }
    const open = state && (state.status === 'firing' || state.resolvedBy === job.id) ? state : undefined;
    if (action === 'assigned') {
      if (canEdit && open?.messageId) {
        const assignee = typeof event.extra.assignee === 'string' ? event.extra.assignee : undefined;
        await store.update(channel.name, event.dedupKey, assignee ? { assignee } : {});
        const count = await store.occurrences(channel.name, event.dedupKey, open.sentBy);
        const message = renderer.render(event, target, facts({ ...open, ...(assignee && { assignee }) }, count));
        return editOrReplace(job, { ...open, messageId: open.messageId }, message, abort);
      }
      // Without an edit, an assignment would only be noise: sent only where sentry.notifyOn asks for it.
      if (event.extra.lifecycleOnly) return { kind: 'skipped', reason: 'assigned: no message to edit on this channel (add assigned to sentry.notifyOn.issue to post it)' };
      return { kind: 'sent', ...(await send(renderer.render(event, target), abort)) };
    }
    if (event.status === 'resolved') {
      if (open) return end(job, event, open, action === 'ignored' || action === 'archived', abort);
      return { kind: 'sent', ...(await send(renderer.render(event, target), abort)) };
    }
    return sendFirst(job, event, state, abort);
  }

  /** A repeat's edit: the running count and last-seen time, at most one per editInterval (intake schedules them). */
  async function deliverRepeat(job: DeliveryJob, abort: AbortSignal): Promise<LifecycleOutcome> {
    const { event } = job.data;
    const state = await store.get(channel.name, event.dedupKey);
    if (!state) return { kind: 'skipped', reason: 'no message of this incident to edit (its first message was never sent)' };
    if (state.status !== 'firing') return { kind: 'skipped', reason: 'the incident ended before this edit' };
    if (!canEdit || !state.messageId) return { kind: 'skipped', reason: 'no message to edit' };
    const count = await store.occurrences(channel.name, event.dedupKey, job.data.after ?? state.sentBy);
    const message = renderer.render(event, target, facts(state, count));
    return editOrReplace(job, { ...state, messageId: state.messageId }, message, abort);
  }

  return {
    /**
     * One job per incident at a time, so a repeat's edit never lands after (and over) the resolve's
     * edit. A busy incident sends the job back to the delayed set, which uses no attempt, like
     * issue-order.ts; BullMQ's DelayedError says so.
     */
    async deliver(job: DeliveryJob, abort: AbortSignal, token: string | undefined): Promise<LifecycleOutcome> {
      const { dedupKey } = job.data.event;
      const jobId = job.id ?? '';
      if (!(await store.lock(channel.name, dedupKey, jobId, options.holdMs))) {
        await job.moveToDelayed(Date.now() + BUSY_RECHECK_MS, token);
        throw new DelayedError();
      }
      try {
        return await (job.data.kind === 'edit' ? deliverRepeat(job, abort) : deliverAlert(job, abort));
      } finally {
        await store.unlock(channel.name, dedupKey, jobId);
      }
    },
  };
}

export type LifecycleDelivery = ReturnType<typeof createLifecycleDelivery>;

/** When the incident began: the source's start time (Alertmanager startsAt), unless it is missing or in the future. */
function firedAt(event: AlertEvent, now: number): number {
  const at = Date.parse(event.occurredAt);
  return Number.isFinite(at) && at <= now ? at : now;
}

function endedAt(event: AlertEvent): number {
  const at = event.endedAt ? Date.parse(event.endedAt) : Number.NaN;
  return Number.isFinite(at) ? at : Date.now();
}
