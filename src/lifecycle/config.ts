import { z } from 'zod';
import { durationMs } from '../config/duration';

/** How a resolved alert reaches a chat whose channel can edit: edit the first message, reply to it, or both. */
export const RESOLVED_MODES = ['edit', 'reply', 'both'] as const;
export type ResolvedMode = (typeof RESOLVED_MODES)[number];

const SEVEN_DAYS_MS = 7 * 24 * 3600_000;

/**
 * `lifecycle` at the top level (README, "One message per incident"): the defaults for every
 * channel. `edit: false` restores one message per notification.
 */
export const lifecycleSchema = z
  .object({
    edit: z.boolean().default(true),
    // Telegram counts edits against the chat's flood limit like sends (docs/providers.md §1.4).
    editInterval: durationMs.pipe(z.number().min(1000, 'at least 1s')).default(10_000),
    resolved: z.enum(RESOLVED_MODES).default('both'),
    ttl: durationMs.pipe(z.number().min(60_000, 'at least 1m')).default(SEVEN_DAYS_MS),
  })
  .strict()
  .prefault({});

/** A channel's own `lifecycle`: any of the top-level keys, overriding them for that channel. */
export const channelLifecycleSchema = z
  .object({
    edit: z.boolean().optional(),
    editInterval: durationMs.pipe(z.number().min(1000, 'at least 1s')).optional(),
    resolved: z.enum(RESOLVED_MODES).optional(),
    ttl: durationMs.pipe(z.number().min(60_000, 'at least 1m')).optional(),
  })
  .strict()
  .optional();

export type LifecycleConfig = z.output<typeof lifecycleSchema>;
export type ChannelLifecycleConfig = z.output<typeof channelLifecycleSchema>;

/**
 * What one channel does after its first message. `enabled` false (`lifecycle: { edit: false }`)
 * is one message per notification, as before; `edit` is true only where the channel can edit.
 */
export interface LifecyclePolicy {
  enabled: boolean;
  edit: boolean;
  editIntervalMs: number;
  resolved: ResolvedMode;
  ttlMs: number;
}

/** The channel's own settings over the top-level ones; a channel that cannot edit never edits. */
export function lifecyclePolicy(defaults: LifecycleConfig, own: ChannelLifecycleConfig, canEdit: boolean): LifecyclePolicy {
  const enabled = own?.edit ?? defaults.edit;
  return {
    enabled,
    edit: canEdit && enabled,
    editIntervalMs: own?.editInterval ?? defaults.editInterval,
    resolved: own?.resolved ?? defaults.resolved,
    ttlMs: own?.ttl ?? defaults.ttl,
  };
}
