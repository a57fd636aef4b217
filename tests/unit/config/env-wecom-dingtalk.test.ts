import { loadConfig } from '../../../src/config/load';
import { problemsOf } from '../../support/config-problems';

const KEY = '693a91f6-7f0e-4c1b-9a3d-0ec2fa5e8b17';
const TOKEN = 'b7a1c3e5d9f0246813579bdf02468ace13579bdf02468ace13579bdf02468ace';

describe('loadConfig from the environment: WeCom', () => {
  it('when WECOM_WEBHOOK_KEY is set, then one channel named "wecom" replaces the console, with the defaults', () => {
    const config = loadConfig({ WECOM_WEBHOOK_KEY: KEY });
    expect(config.channels).toEqual({
      wecom: { type: 'wecom', key: KEY, apiUrl: 'https://qyapi.weixin.qq.com', msgType: 'markdown', mentionMobiles: [], mentionUserIds: [], throttlePause: 60_000 },
    });
  });

  it('when WECOM_WEBHOOK_URL is set, then the channel posts to that URL', () => {
    const url = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`;
    expect(loadConfig({ WECOM_WEBHOOK_URL: url }).channels.wecom).toMatchObject({ type: 'wecom', webhookUrl: url, key: undefined });
  });

  it('when both the key and the URL are set, then the error says to set one of them', () => {
    expect(problemsOf(() => loadConfig({ WECOM_WEBHOOK_KEY: KEY, WECOM_WEBHOOK_URL: 'https://qyapi.weixin.qq.com/x' }))).toEqual([
      'channels.wecom.key: set either key or webhookUrl (set one of WECOM_WEBHOOK_KEY, WECOM_WEBHOOK_URL)',
    ]);
  });

  it('when WECOM_WEBHOOK_URL is not a URL, then the error names the variable', () => {
    const [problem] = problemsOf(() => loadConfig({ WECOM_WEBHOOK_URL: 'qyapi.weixin.qq.com/send' }));
    expect(problem).toMatch(/^channels\.wecom\.webhookUrl: .*\(set WECOM_WEBHOOK_URL\)$/);
  });
});

describe('loadConfig from the environment: DingTalk', () => {
  it('when the token, secret and keyword are set, then one channel named "dingtalk" uses all three', () => {
    const config = loadConfig({ DINGTALK_ACCESS_TOKEN: TOKEN, DINGTALK_SECRET: 'SECabc', DINGTALK_KEYWORD: '告警' });
    expect(config.channels).toEqual({
      dingtalk: {
        type: 'dingtalk', accessToken: TOKEN, secret: 'SECabc', keyword: '告警', apiUrl: 'https://oapi.dingtalk.com', msgType: 'markdown',
        mentionMobiles: [], mentionUserIds: [], mentionAll: false, throttlePause: 600_000,
      },
    });
  });

  it('when only DINGTALK_WEBHOOK_URL is set, then the channel posts to that URL unsigned', () => {
    const url = `https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`;
    expect(loadConfig({ DINGTALK_WEBHOOK_URL: url }).channels.dingtalk).toMatchObject({ webhookUrl: url, accessToken: undefined, secret: undefined });
  });

  it('when a secret is set without a token or URL, then the error says which variable is missing', () => {
    expect(problemsOf(() => loadConfig({ DINGTALK_SECRET: 'SECabc' }))).toEqual([
      'channels.dingtalk.accessToken: set either accessToken or webhookUrl (set one of DINGTALK_ACCESS_TOKEN, DINGTALK_WEBHOOK_URL)',
    ]);
  });

  it('when Telegram, WeCom and DingTalk are all set, then each becomes its own channel', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_CHAT_ID: '-1001234567890', WECOM_WEBHOOK_KEY: KEY, DINGTALK_ACCESS_TOKEN: TOKEN });
    expect(Object.keys(config.channels).sort()).toEqual(['dingtalk', 'telegram', 'wecom']);
  });
});

describe('loadConfig from a YAML file: WeCom and DingTalk options', () => {
  const env = { GATEWAY_CONFIG: '/etc/gateway.yaml', WECOM_KEY: KEY, DT_TOKEN: TOKEN };

  it('when mentions, msgType and throttle pauses are given, then they are parsed', () => {
    const config = loadConfig(
      env,
      () => `
channels:
  ops-wecom: { type: wecom, key: "\${WECOM_KEY}", msgType: text, mentionMobiles: [13800001111], throttlePause: 30s }
  ops-dingtalk: { type: dingtalk, accessToken: "\${DT_TOKEN}", mentionUserIds: [user123], mentionAll: true, throttlePause: 15m }
`,
    );
    expect(config.channels['ops-wecom']).toMatchObject({ key: KEY, msgType: 'text', mentionMobiles: ['13800001111'], throttlePause: 30_000 });
    expect(config.channels['ops-dingtalk']).toMatchObject({ accessToken: TOKEN, mentionUserIds: ['user123'], mentionAll: true, throttlePause: 900_000 });
  });
});
