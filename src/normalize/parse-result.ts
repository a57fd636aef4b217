import type { z } from 'zod';
import type { AlertEvent } from './event';
import { shortText } from './short-text';

/** What parsing one webhook body gives: events to deliver, a reason to answer 200 without any, or a 400 message. */
export type ParseResult =
  | { kind: 'events'; events: AlertEvent[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; message: string };

export function ignored(reason: string): ParseResult {
  return { kind: 'ignored', reason };
}

export function invalid(message: string): ParseResult {
  return { kind: 'invalid', message };
}

// A broken sender can fail hundreds of fields at once; the first few are enough to fix it.
const MAX_ISSUES = 5;
// Paths hold the sender's own keys (label names, ...), which can be any length.
const MAX_KEY_LENGTH = 40;
const MAX_MESSAGE_LENGTH = 600;

/** `data.issue.id: expected string, received number`, several issues joined with "; ". */
export function describeZodError(error: z.ZodError, prefix: readonly (string | number)[] = []): string {
  const parts = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    return `${path}: ${issue.message.replace(/^(Invalid (input|option)|Too (small|big)): /, '')}`;
  });
  const more = error.issues.length - MAX_ISSUES;
  const text = more > 0 ? `${parts.join('; ')}; and ${more} more` : parts.join('; ');
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'body';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : formatKey(String(key), i === 0))).join('');
}

/** `.name` for ordinary keys, `["odd key"]` for keys with spaces, quotes or control characters. */
function formatKey(key: string, first: boolean): string {
  if (/^[\w$-]{1,40}$/.test(key)) return first ? key : `.${key}`;
  return `["${shortText(key, MAX_KEY_LENGTH)}"]`;
}
