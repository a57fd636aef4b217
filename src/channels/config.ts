import { z } from 'zod';
import { consoleConfigSchema } from './console/config';
import { dingtalkConfigSchema } from './dingtalk/config';
import { slackConfigSchema } from './slack/config';
import { feishuConfigSchema } from './feishu/config';
import { telegramConfigSchema } from './telegram/config';
import { webhookConfigSchema } from './webhook/config';
import { wecomConfigSchema, wecomMsgTypeDefault } from './wecom/config';
import { wecomAppConfigSchema } from './wecom-app/config';

/** The channels stage's slice of config: one schema per channel type, told apart by `type`. */
export const channelSchema = z.preprocess(
  wecomMsgTypeDefault,
  z.discriminatedUnion('type', [telegramConfigSchema, wecomConfigSchema, dingtalkConfigSchema, consoleConfigSchema, slackConfigSchema, feishuConfigSchema, wecomAppConfigSchema, webhookConfigSchema]),
);

export type ChannelConfig = z.output<typeof channelSchema>;
export type ChannelTypeName = ChannelConfig['type'];
