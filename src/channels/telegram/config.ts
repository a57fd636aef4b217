import { z } from 'zod';
import { httpUrl, requiredString } from '../../config/fields';
import { channelBase, type Pace } from '../channel-config';

export const telegramConfigSchema = z
  .object({
    type: z.literal('telegram'),
    botToken: requiredString,
    chatId: z.preprocess(
      (v) => (typeof v === 'number' ? String(v) : v === '' ? undefined : v),
      z.string({ error: 'required' }).regex(/^(-?\d+|@\w+)$/, 'a numeric chat id or @channelusername'),
    ),
    threadId: z.coerce.number().int().positive().optional(),
    apiUrl: httpUrl.default('https://api.telegram.org'),
    disableNotification: z.boolean().default(false),
    ...channelBase,
  })
  .strict();

export type TelegramChannelConfig = z.output<typeof telegramConfigSchema>;

export const telegramSecrets = (config: TelegramChannelConfig): string[] => [config.botToken];

/**
 * Telegram's published limits (docs/providers.md, Telegram): about 20 messages a minute in a
 * group (negative chat ids), about one a second in a private chat.
 */
export const telegramPace = (config: TelegramChannelConfig): Pace =>
  config.chatId.startsWith('-') ? { max: 20, durationMs: 60_000 } : { max: 1, durationMs: 1000 };
