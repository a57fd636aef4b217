import { loadConfig } from '../../../src/config/load';
import { problemsOf } from '../../support/config-problems';

const URL = 'https://open.feishu.cn/open-apis/bot/v2/hook/2f8c1a5e-93b4-4d7a-b1e6-7c0d5f3a9e21';

describe('loadConfig from the environment: Feishu', () => {
  it('when FEISHU_WEBHOOK_URL, FEISHU_SECRET and FEISHU_KEYWORD are set, then one channel named "feishu" uses all three', () => {
    const config = loadConfig({ FEISHU_WEBHOOK_URL: URL, FEISHU_SECRET: 'qJ3vX8mN2pL5tR7wY9zB4c', FEISHU_KEYWORD: '告警' });
    expect(config.channels).toEqual({
      feishu: { type: 'feishu', webhookUrl: URL, secret: 'qJ3vX8mN2pL5tR7wY9zB4c', keyword: '告警', apiUrl: 'https://open.feishu.cn', msgType: 'interactive', throttlePause: 60_000 },
    });
  });

  it('when only a Lark FEISHU_WEBHOOK_URL is set, then the channel posts there unsigned', () => {
    const lark = 'https://open.larksuite.com/open-apis/bot/v2/hook/2f8c1a5e-93b4-4d7a-b1e6-7c0d5f3a9e21';
    expect(loadConfig({ FEISHU_WEBHOOK_URL: lark }).channels.feishu).toMatchObject({ webhookUrl: lark, secret: undefined, keyword: undefined });
  });

  it('when FEISHU_SECRET is set without the URL, then the error names FEISHU_WEBHOOK_URL', () => {
    expect(problemsOf(() => loadConfig({ FEISHU_SECRET: 'qJ3vX8mN2pL5tR7wY9zB4c' }))).toEqual(['channels.feishu.token: set either token or webhookUrl (set FEISHU_WEBHOOK_URL)']);
  });

  it('when FEISHU_WEBHOOK_URL is not a bot webhook, then the error says what it should end with', () => {
    expect(problemsOf(() => loadConfig({ FEISHU_WEBHOOK_URL: 'https://open.feishu.cn/open-apis/bot/v2/' }))).toEqual([
      "channels.feishu.webhookUrl: a custom bot's webhook URL ends with /open-apis/bot/v2/hook/<token> (set FEISHU_WEBHOOK_URL)",
    ]);
  });
});
