import { loadConfig } from '../../../src/config/load';
import { problemsOf } from '../../support/config-problems';

const HOOK = 'https://hooks.slack.com/services/T0FAKE0001/B0FAKE0002/Zq8wLk3vN5pXr2TbYc7dHs9M';

describe('loadConfig: Slack', () => {
  it('when SLACK_WEBHOOK_URL is set, then one channel named "slack" posts to that webhook', () => {
    expect(loadConfig({ SLACK_WEBHOOK_URL: HOOK }).channels).toEqual({ slack: { type: 'slack', webhookUrl: HOOK, apiUrl: 'https://slack.com' } });
  });

  it('when SLACK_WEBHOOK_URL is not a URL, then the error names the variable', () => {
    const [problem] = problemsOf(() => loadConfig({ SLACK_WEBHOOK_URL: 'hooks.slack.com/services/T/B/X' }));
    expect(problem).toMatch(/^channels\.slack\.webhookUrl: .*\(set SLACK_WEBHOOK_URL\)$/);
  });

  it.each([
    ['a bot token without a channel', '{ type: slack, botToken: xoxb-1-2-abc }', 'channels.ops-slack.channel: required with botToken: the channel ID (C…) or name to post to'],
    ['a webhook and a bot token', `{ type: slack, webhookUrl: "${HOOK}", botToken: xoxb-1-2-abc, channel: C024BE91L }`, 'channels.ops-slack.webhookUrl: set either webhookUrl (an incoming webhook) or botToken and channel (the Web API)'],
    ['a channel with a webhook', `{ type: slack, webhookUrl: "${HOOK}", channel: C024BE91L }`, 'channels.ops-slack.channel: channel goes with botToken: an incoming webhook always posts to the channel it was created for'],
  ])('when a config file gives %s, then the error says what to set', (_case, channel, error) => {
    expect(problemsOf(() => loadConfig({ GATEWAY_CONFIG: '/etc/gateway.yaml' }, () => `channels:\n  ops-slack: ${channel}\n`))).toEqual([error]);
  });

  it('when a config file gives botToken and channel, then the channel uses the Web API at slack.com', () => {
    const config = loadConfig({ GATEWAY_CONFIG: '/etc/gateway.yaml', SLACK_TOKEN: 'xoxb-1-2-abc' }, () => 'channels:\n  ops-slack: { type: slack, botToken: "${SLACK_TOKEN}", channel: C024BE91L }\n');
    expect(config.channels['ops-slack']).toEqual({ type: 'slack', botToken: 'xoxb-1-2-abc', channel: 'C024BE91L', apiUrl: 'https://slack.com' });
  });
});
