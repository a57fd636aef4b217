import { once } from 'node:events';

/**
 * True when `work` settles before `deadline` aborts, false when the deadline comes first; a
 * rejection of `work` is passed on. Deadlines are AbortSignal.timeout everywhere (the same
 * mechanism the delivery worker gives each send), and their timers never hold the process open.
 */
export function settlesBefore(work: Promise<unknown>, deadline: AbortSignal): Promise<boolean> {
  if (deadline.aborted) return Promise.resolve(false);
  return Promise.race([work.then(() => true), once(deadline, 'abort').then(() => false)]);
}
