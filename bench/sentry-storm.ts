import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { postJson } from './post-json';

export interface StormPlan {
  /** The gateway's base URL. */
  url: string;
  events: number;
  issues: number;
  ratePerS: number;
  repoRoot: string;
}

export interface StormResult {
  /** Per channel, per issue: events the gateway acknowledged with 202 for that channel. */
  acked: Map<string, number[]>;
  /** Answers other than 202, by status (0: no answer). */
  refused: Map<number, number>;
  durationMs: number;
}

/** The marker every message of an issue carries in its title, so a provider's text names its issue. */
export const ISSUE_MARKER = /storm issue (\d+)\b/;
const MAX_IN_FLIGHT = 64;

/**
 * Posts `events` Sentry event_alert webhooks to /webhook/sentry at `ratePerS`, round robin over
 * `issues` issues (so every issue opens its window in the first `issues` requests), each with its
 * own event id: what Sentry sends when one deploy breaks fifty code paths at once.
 */
export async function runStorm(plan: StormPlan, progress: (posted: number) => void): Promise<StormResult> {
  const template = readFileSync(join(plan.repoRoot, 'tests', 'fixtures', 'sentry-event-alert.json'), 'utf8');
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const acked = new Map<string, number[]>();
  const refused = new Map<number, number>();
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();

  for (let i = 0; i < plan.events; i += 1) {
    const due = started + (i * 1000) / plan.ratePerS;
    if (due > Date.now()) await sleep(due - Date.now());
    if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    const issue = i % plan.issues;
    const sent = postJson(`${plan.url}/webhook/sentry`, eventAlert(template, issue, i), { 'Sentry-Hook-Resource': 'event_alert' }, agent).then(({ status, body }) => {
      if (status !== 202) return void refused.set(status, (refused.get(status) ?? 0) + 1);
      for (const job of (body as { jobs?: Array<{ channel: string }> }).jobs ?? []) {
        const counts = acked.get(job.channel) ?? Array<number>(plan.issues).fill(0);
        counts[issue] = (counts[issue] ?? 0) + 1;
        acked.set(job.channel, counts);
      }
    });
    const tracked = sent.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if ((i + 1) % 500 === 0) progress(i + 1);
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { acked, refused, durationMs: Date.now() - started };
}

/** The realistic fixture with this issue's id and title and a fresh event id. */
function eventAlert(template: string, issue: number, n: number): string {
  const body = JSON.parse(template) as { data: { event: Record<string, unknown> } };
  const event = body.data.event;
  event.event_id = n.toString(16).padStart(32, '0');
  event.issue_id = String(7_000_000_000 + issue);
  event.title = `StormError: storm issue ${issue} failed`;
  return JSON.stringify(body);
}
