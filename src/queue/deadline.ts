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

/**
 * settlesBefore for a deadline of `ms` from now, for the hot path: the timer is cleared as soon as
 * `work` settles, so a webhook's deadline does not outlive its answer (AbortSignal.timeout keeps
 * its timer, signal and listener for the full `ms`: thousands at a time under load).
 */
export function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(resolve, ms, false);
    timer.unref();
  });
  return Promise.race([work.then(() => true), late]).finally(() => clearTimeout(timer));
}
