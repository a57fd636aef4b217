import ms from 'ms';
import { z } from 'zod';

/**
 * "500ms" | "10s" | "5m" | "1h" | "1d" | "1w" | "5 minutes" -> milliseconds, as `ms` reads them;
 * a bare number is already milliseconds. Negative or unreadable text gives undefined.
 */
export function parseDuration(text: string): number | undefined {
  const value = ms(text.trim() as ms.StringValue);
  if (!Number.isFinite(value) || value < 0) return undefined;
  return Math.round(value);
}

export const durationMs = z.union([z.number().int().nonnegative(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const parsed = parseDuration(value);
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (use 500ms, 10s, 5m, 1h)` });
    return z.NEVER;
  }
  return parsed;
});
