import { z } from 'zod';
import { durationMs } from '../config/duration';
import { localeSchema } from '../render/config';
import { channelLifecycleSchema } from '../lifecycle/config';

/** Settings every channel type takes besides its own. */
export const channelBase = {
  template: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  locale: localeSchema.optional(),
  /** Overrides the type's default pacing: at most `max` messages `per` period. */
  rateLimit: z.object({ max: z.number().int().positive(), per: durationMs }).strict().optional(),
  /** Overrides the top-level `lifecycle` for this channel (`{ edit: false }`: one message per notification). */
  lifecycle: channelLifecycleSchema,
};

/** People to mention: YAML may read phone numbers and ids as numbers. */
export const mentions = z.array(z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().min(1))).default([]);

/** A provider's published limit: at most `max` messages per `durationMs` to one destination. */
export interface Pace {
  max: number;
  durationMs: number;
}
