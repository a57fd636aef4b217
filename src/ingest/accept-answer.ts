import type { Response } from 'express';
import type { AcceptResult } from './accept-events';

/** 202 once Redis holds the jobs; 200 when there is nothing to deliver, so the sender does not retry. */
export function sendAcceptResult(res: Response, result: AcceptResult): void {
  if (result.status === 'ignored') sendJson(res, 200, { accepted: 0, reason: result.reason });
  else sendJson(res, 202, { accepted: result.accepted, jobs: result.jobs, events: result.events });
}

/**
 * The headers express's res.json would send, without its res.send: that one checks freshness
 * (If-None-Match, If-Modified-Since) and looks the charset up on every answer, which no webhook
 * sender uses and which cost 8% of an Alertmanager webhook's CPU (BENCHMARKS.md).
 */
function sendJson(res: Response, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
