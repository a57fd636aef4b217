import { z } from 'zod';
import { durationMs } from '../../config/duration';
import { httpUrl, requiredString } from '../../config/fields';
import { channelBase, type Pace } from '../channel-config';

/** A userid, department id or tag id: YAML reads numeric ids as numbers; "|" separates them on the wire. */
const recipientId = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : v),
  z.string().min(1).regex(/^[^|\s]+$/, 'one id, without "|" or spaces (give a list for several)'),
);
/** One id or a list of them, always a list after parsing. */
const recipientList = (max: number) =>
  z
    .preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(recipientId))
    .pipe(z.array(z.string()).max(max, `at most ${max} (WeCom's limit per message)`));

/**
 * WeCom application messages (企业微信应用消息): the app's `corpId` + `corpSecret` buy an
 * access_token, `agentId` names the app, and the recipients are members, departments or tags
 * (docs/providers.md §7).
 */
export const wecomAppConfigSchema = z
  .object({
    type: z.literal('wecom-app'),
    corpId: requiredString,
    corpSecret: requiredString,
    // An integer on the wire: a string agentid was reported to fail with a parameter error.
    agentId: z.coerce.number({ error: 'required: the app\'s AgentId, a number' }).int().positive(),
    /** Userids, or "@all" for everyone in the app's visible range; up to 1000 (§7.2). */
    toUser: recipientList(1000),
    toParty: recipientList(100),
    toTag: recipientList(100),
    msgType: z.enum(['markdown', 'text', 'textcard']).default('markdown'),
    apiUrl: httpUrl.default('https://qyapi.weixin.qq.com'),
    /** errcode 45009 gives no retry-after; per-minute blocks last 60 s (docs/providers.md §7). */
    throttlePause: durationMs.default(60_000),
    ...channelBase,
  })
  .strict()
  .refine((c) => c.toUser.length + c.toParty.length + c.toTag.length > 0, {
    message: 'name at least one recipient: toUser (userids or "@all"), toParty or toTag',
    path: ['toUser'],
  })
  .refine((c) => !c.toUser.includes('@all') || c.toUser.length === 1, { message: '"@all" goes alone', path: ['toUser'] });

export type WecomAppChannelConfig = z.output<typeof wecomAppConfigSchema>;

/**
 * WeCom delivers at most 30 messages a minute and 1000 an hour per member and app, and drops the
 * excess without an error (docs/providers.md §7): nothing tells us to slow down, so the pace must
 * keep under both. 16 a minute is 960 an hour, and with the queue's margin about 910.
 */
export const wecomAppPace = (): Pace => ({ max: 16, durationMs: 60_000 });
