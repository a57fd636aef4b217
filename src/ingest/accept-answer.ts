import type { Response } from 'express';
import type { AcceptResult } from './accept-events';

/** 202 once Redis holds the jobs; 200 when there is nothing to deliver, so the sender does not retry. */
export function sendAcceptResult(res: Response, result: AcceptResult): void {
  if (result.status === 'ignored') res.status(200).json({ accepted: 0, reason: result.reason });
  else res.status(202).json({ accepted: result.accepted, jobs: result.jobs, events: result.events });
}
