import { z } from 'zod';
import { durationMs } from '../config/duration';

/** What `history:` reads as: `false` turns recording off; otherwise how long and how many records Redis keeps. */
export interface HistoryConfig {
  enabled: boolean;
  retentionMs: number;
  maxEvents: number;
}

const DEFAULTS = { retention: 7 * 24 * 3600_000, maxEvents: 100_000 } as const;

/** `history: { retention: 7d, maxEvents: 100000 }` (README, "History and the web page"); `history: false` turns it off. */
export const historySchema = z
  .union([
    z.literal(false),
    z
      .object({
        retention: durationMs.pipe(z.number().min(60_000, 'at least 1m')).default(DEFAULTS.retention),
        maxEvents: z.number().int().min(1).max(10_000_000).default(DEFAULTS.maxEvents),
      })
      .strict(),
  ])
  .default({ retention: DEFAULTS.retention, maxEvents: DEFAULTS.maxEvents })
  .transform((value): HistoryConfig => (value === false ? { enabled: false, retentionMs: DEFAULTS.retention, maxEvents: DEFAULTS.maxEvents } : { enabled: true, retentionMs: value.retention, maxEvents: value.maxEvents }));
