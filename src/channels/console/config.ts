import { z } from 'zod';
import { channelBase } from '../channel-config';

/** Prints rendered messages to stdout: the quick start's channel, with no credentials. */
export const consoleConfigSchema = z.object({ type: z.literal('console'), ...channelBase }).strict();

export type ConsoleChannelConfig = z.output<typeof consoleConfigSchema>;
