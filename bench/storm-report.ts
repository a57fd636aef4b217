import { markdownTable, type Column } from './markdown-table';
import type { AcceptedMessage } from './counting-fake';
import { ISSUE_MARKER } from './sentry-storm';

/** What one channel's chat received during a storm, against what the gateway acknowledged for it. */
export interface ChannelFigures {
  channel: string;
  acked: number;
  firstMessages: number;
  digests: number;
  digestSum: number;
  rateLimitAnswers: number;
  /** Acknowledged events that no first message or digest count accounts for. */
  lost: number;
  /** Events accounted for more than once (a second first message, an over-counting digest). */
  extra: number;
  /** Messages whose text names no storm issue: something else reached the chat. */
  unrecognised: number;
  failedJobs: number;
}

// The digest templates' phrase in English: "🔁 <title> … 57 more events in the last 1 min".
const DIGEST = /(\d+) more events? in the last/;

/**
 * Each message is the first of its issue's window, or a digest counting the repeats that window
 * held back; per issue, first messages plus digest counts must equal the acknowledged events.
 */
export function tallyChannel(channel: string, messages: readonly AcceptedMessage[], acked: readonly number[], extras: { rateLimitAnswers: number; failedJobs: number }): ChannelFigures {
  const accounted = acked.map(() => 0);
  let firstMessages = 0;
  let digests = 0;
  let digestSum = 0;
  let unrecognised = 0;
  for (const { text } of messages) {
    const issue = Number(ISSUE_MARKER.exec(text)?.[1] ?? NaN);
    if (!Number.isInteger(issue) || issue >= accounted.length) {
      unrecognised += 1;
      continue;
    }
    const digest = text.includes('🔁') ? DIGEST.exec(text) : null;
    if (text.includes('🔁') && !digest) {
      unrecognised += 1;
      continue;
    }
    const count = digest ? Number(digest[1]) : 1;
    if (digest) {
      digests += 1;
      digestSum += count;
    } else {
      firstMessages += 1;
    }
    accounted[issue]! += count;
  }
  const lost = acked.reduce((sum, n, issue) => sum + Math.max(0, n - accounted[issue]!), 0);
  const extra = acked.reduce((sum, n, issue) => sum + Math.max(0, accounted[issue]! - n), 0);
  return { channel, acked: acked.reduce((a, b) => a + b, 0), firstMessages, digests, digestSum, lost, extra, unrecognised, ...extras };
}

export interface Targets {
  issues: number;
  events: number;
}

/** Every target a channel missed, in words; empty when it met them all. */
export function missedTargets(f: ChannelFigures, t: Targets): string[] {
  const missed: string[] = [];
  if (f.acked !== t.events) missed.push(`${f.acked} of ${t.events} events acknowledged for ${f.channel}`);
  if (f.firstMessages !== t.issues) missed.push(`${f.firstMessages} first messages (target exactly ${t.issues})`);
  if (f.digests > t.issues) missed.push(`${f.digests} digests (target at most ${t.issues})`);
  if (f.digestSum !== f.acked - f.firstMessages) missed.push(`digest counts sum to ${f.digestSum}, not ${f.acked - f.firstMessages}`);
  if (f.rateLimitAnswers !== 0) missed.push(`${f.rateLimitAnswers} rate-limit answers (target 0)`);
  if (f.lost !== 0) missed.push(`${f.lost} events lost (target 0)`);
  if (f.extra !== 0) missed.push(`${f.extra} events counted twice (target 0)`);
  if (f.unrecognised !== 0) missed.push(`${f.unrecognised} messages of no storm issue`);
  if (f.failedJobs !== 0) missed.push(`${f.failedJobs} failed delivery jobs`);
  return missed.map((m) => `${f.channel}: ${m}`);
}

const COLUMNS: Array<Column<ChannelFigures>> = [
  ['channel', (f) => f.channel],
  ['acked', (f) => f.acked],
  ['first msgs', (f) => f.firstMessages],
  ['digests', (f) => f.digests],
  ['digest sum', (f) => f.digestSum],
  ['expected sum', (f) => f.acked - f.firstMessages],
  ['rate-limit answers', (f) => f.rateLimitAnswers],
  ['lost', (f) => f.lost],
  ['extra', (f) => f.extra],
  ['failed jobs', (f) => f.failedJobs],
];

/** A Markdown table (pastes into BENCHMARKS.md or an issue note as it is). */
export function formatTable(rows: readonly ChannelFigures[]): string {
  return markdownTable(COLUMNS, rows);
}
