import { channelSecrets, createChannels, templateSetOf } from '../../src/channels/registry';
import { configSchema } from '../../src/config/schema';
import { rateLimitFor } from '../../src/queue/rate-limits';

const KEY = '693a91f6-7f0e-4c1b-9a3d-0ec2fa5e8b17';
const TOKEN = 'b7a1c3e5d9f0246813579bdf02468ace13579bdf02468ace13579bdf02468ace';

const { channels } = configSchema.parse({
  channels: {
    'by-key': { type: 'wecom', key: KEY },
    'by-url': { type: 'wecom', webhookUrl: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=url-${KEY}` },
    signed: { type: 'dingtalk', accessToken: TOKEN, secret: 'SECsigned' },
    'dt-url': { type: 'dingtalk', webhookUrl: `https://oapi.dingtalk.com/robot/send?access_token=url-${TOKEN}` },
    paced: { type: 'dingtalk', accessToken: TOKEN, rateLimit: { max: 10, per: '1m' } },
    plain: { type: 'wecom', key: KEY, msgType: 'text' },
    group: { type: 'telegram', botToken: '1:x', chatId: '-1001234567890' },
    private: { type: 'telegram', botToken: '1:x', chatId: '42' },
  },
});

describe('channel registry for WeCom and DingTalk', () => {
  it('when channels are configured, then each is built with its type', () => {
    const built = createChannels(channels, { writeConsole: () => undefined });
    expect([...built.values()].map((c) => `${c.name}:${c.type}`)).toEqual(['by-key:wecom', 'by-url:wecom', 'signed:dingtalk', 'dt-url:dingtalk', 'paced:dingtalk', 'plain:wecom', 'group:telegram', 'private:telegram']);
  });

  it('when secrets are collected for the logger, then keys and tokens inside webhook URLs and signing secrets are included', () => {
    expect(channelSecrets(channels)).toEqual(expect.arrayContaining([KEY, `url-${KEY}`, TOKEN, 'SECsigned', `url-${TOKEN}`]));
  });

  it('when a robot is in text mode, then it gets the plain-text templates instead of markdown', () => {
    expect(templateSetOf(channels.plain!)).toBe('console');
    expect(templateSetOf(channels['by-key']!)).toBe('wecom');
  });

  it('when a Telegram chat is a group, then it is paced at 20 per minute, a private chat at 1 per second (evenly, with a margin)', () => {
    expect(rateLimitFor(channels.group!)).toEqual({ max: 1, durationMs: 3163 });
    expect(rateLimitFor(channels.private!)).toEqual({ max: 1, durationMs: 1300 });
  });

  it('when no rateLimit is configured, then robots are paced evenly below 20 per minute, else as configured', () => {
    expect(rateLimitFor(channels['by-key']!)).toEqual({ max: 1, durationMs: 3163 });
    expect(rateLimitFor(channels.signed!)).toEqual({ max: 1, durationMs: 3163 });
    expect(rateLimitFor(channels.paced!)).toEqual({ max: 1, durationMs: 6325 });
  });
});
