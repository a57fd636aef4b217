/**
 * Environment-only configuration (the quick start): each provider whose variables are set
 * becomes one channel named after its type. Returns the raw shape the schema validates.
 */
export function configFromEnv(env: Record<string, string | undefined>): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  if (env.TELEGRAM_BOT_TOKEN || env.TELEGRAM_CHAT_ID) {
    channels.telegram = {
      type: 'telegram',
      botToken: env.TELEGRAM_BOT_TOKEN ?? '',
      chatId: env.TELEGRAM_CHAT_ID ?? '',
      threadId: env.TELEGRAM_THREAD_ID || undefined,
      apiUrl: env.TELEGRAM_API_URL ?? '',
    };
  }
  if (env.WECOM_WEBHOOK_KEY || env.WECOM_WEBHOOK_URL) {
    // Both set is an error the schema reports ("set either key or webhookUrl"), not a silent pick.
    channels.wecom = { type: 'wecom', key: env.WECOM_WEBHOOK_KEY ?? '', webhookUrl: env.WECOM_WEBHOOK_URL ?? '' };
  }
  if (env.DINGTALK_ACCESS_TOKEN || env.DINGTALK_WEBHOOK_URL || env.DINGTALK_SECRET || env.DINGTALK_KEYWORD) {
    channels.dingtalk = {
      type: 'dingtalk',
      accessToken: env.DINGTALK_ACCESS_TOKEN ?? '',
      webhookUrl: env.DINGTALK_WEBHOOK_URL ?? '',
      secret: env.DINGTALK_SECRET ?? '',
      keyword: env.DINGTALK_KEYWORD ?? '',
    };
  }
  if (env.SLACK_WEBHOOK_URL) {
    channels.slack = { type: 'slack', webhookUrl: env.SLACK_WEBHOOK_URL };
  }
  if (env.FEISHU_WEBHOOK_URL || env.FEISHU_SECRET || env.FEISHU_KEYWORD) {
    channels.feishu = { type: 'feishu', webhookUrl: env.FEISHU_WEBHOOK_URL ?? '', secret: env.FEISHU_SECRET ?? '', keyword: env.FEISHU_KEYWORD ?? '' };
  }
  return {
    redis: {
      url: env.REDIS_URL ?? '',
      sentinels: nodeList(env.REDIS_SENTINELS),
      name: env.REDIS_SENTINEL_NAME ?? '',
      cluster: nodeList(env.REDIS_CLUSTER_NODES),
      password: env.REDIS_PASSWORD ?? '',
      sentinelPassword: env.REDIS_SENTINEL_PASSWORD ?? '',
      prefix: env.REDIS_PREFIX || undefined,
      allowEviction: env.REDIS_ALLOW_EVICTION ? env.REDIS_ALLOW_EVICTION === 'true' : undefined,
      tls: env.REDIS_TLS_CA_FILE ? { caFile: env.REDIS_TLS_CA_FILE } : undefined,
    },
    auth: { token: env.WEBHOOK_TOKEN ?? '', sentry: { clientSecret: env.SENTRY_CLIENT_SECRET ?? '' }, adminToken: env.ADMIN_TOKEN ?? '' },
    locale: env.LOCALE || undefined,
    channels,
  };
}

/** Which variable feeds a config path in env-only mode, so errors name what the user can change. */
export const ENV_SOURCE: Record<string, string> = {
  'channels.telegram.botToken': 'TELEGRAM_BOT_TOKEN',
  'channels.telegram.chatId': 'TELEGRAM_CHAT_ID',
  'channels.telegram.threadId': 'TELEGRAM_THREAD_ID',
  'channels.telegram.apiUrl': 'TELEGRAM_API_URL',
  'channels.wecom.key': 'one of WECOM_WEBHOOK_KEY, WECOM_WEBHOOK_URL',
  'channels.wecom.webhookUrl': 'WECOM_WEBHOOK_URL',
  'channels.dingtalk.accessToken': 'one of DINGTALK_ACCESS_TOKEN, DINGTALK_WEBHOOK_URL',
  'channels.dingtalk.webhookUrl': 'DINGTALK_WEBHOOK_URL',
  'channels.slack.webhookUrl': 'SLACK_WEBHOOK_URL',
  'channels.feishu.token': 'FEISHU_WEBHOOK_URL',
  'channels.feishu.webhookUrl': 'FEISHU_WEBHOOK_URL',
  'redis.url': 'REDIS_URL',
  'redis.sentinels': 'REDIS_SENTINELS',
  'redis.name': 'REDIS_SENTINEL_NAME',
  'redis.cluster': 'REDIS_CLUSTER_NODES',
  'redis.sentinelPassword': 'REDIS_SENTINEL_PASSWORD',
  'auth.adminToken': 'ADMIN_TOKEN',
  'redis.prefix': 'REDIS_PREFIX',
  'redis.allowEviction': 'REDIS_ALLOW_EVICTION',
  'redis.tls.caFile': 'REDIS_TLS_CA_FILE',
  locale: 'LOCALE',
  port: 'PORT',
  role: 'ROLE',
  'log.level': 'LOG_LEVEL',
  'log.format': 'LOG_FORMAT',
  'delivery.concurrency': 'WORKER_CONCURRENCY',
};

/** `host:port,host:port` as a list; the schema checks each entry. */
function nodeList(text: string | undefined): string[] | undefined {
  return text ? text.split(',').map((node) => node.trim()).filter(Boolean) : undefined;
}
