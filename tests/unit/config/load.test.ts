import { readFileSync } from 'node:fs';
import { loadConfig } from '../../../src/config/load';
import { problemsOf } from '../../support/config-problems';

const yamlFile = (text: string) => () => text;

describe('loadConfig from the environment only', () => {
  it('when nothing is set, then the gateway runs with defaults and one console channel', () => {
    const config = loadConfig({});
    expect(config.port).toBe(9000);
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.channels).toEqual({ console: { type: 'console' } });
    expect(config.routes).toBeUndefined();
  });

  it('when Telegram variables are set, then one channel named "telegram" replaces the console', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_CHAT_ID: '-1001234567890', TELEGRAM_THREAD_ID: '7', PORT: '9100' });
    expect(config.port).toBe(9100);
    expect(config.channels).toEqual({
      telegram: expect.objectContaining({ type: 'telegram', botToken: '123:abc', chatId: '-1001234567890', threadId: 7, apiUrl: 'https://api.telegram.org' }),
    });
  });

  it('when the chat id is missing, then the error names the path and the variable to set', () => {
    expect(problemsOf(() => loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc' }))).toEqual(['channels.telegram.chatId: required (set TELEGRAM_CHAT_ID)']);
  });

  it('when LOG_FORMAT is not text or json, then the error says which values are allowed', () => {
    const [problem] = problemsOf(() => loadConfig({ LOG_FORMAT: 'xml' }));
    expect(problem).toMatch(/^log\.format: .*"text".*"json".*\(set LOG_FORMAT\)$/);
  });
});

describe('loadConfig from a YAML file', () => {
  const env = { GATEWAY_CONFIG: '/etc/gateway.yaml', TG_TOKEN: '42:secret' };

  it('when the file uses ${VAR}, durations and routes, then they are resolved and validated', () => {
    const config = loadConfig(
      env,
      yamlFile(`
dedup: { window: 5m }
delivery: { attempts: 4, backoff: 500ms, timeout: 10s }
channels:
  ops: { type: telegram, botToken: "\${TG_TOKEN}", chatId: -1001234567890, threadId: 7 }
routes:
  - match: { source: sentry, severity: [critical, error] }
    channels: [ops]
`),
    );
    expect(config.dedup.window).toBe(300_000);
    expect(config.delivery).toMatchObject({ attempts: 4, backoff: 500, timeout: 10_000 });
    expect(config.channels.ops).toMatchObject({ botToken: '42:secret', chatId: '-1001234567890', threadId: 7 });
    expect(config.routes?.[0]?.channels).toEqual(['ops']);
  });

  it('when ${VAR:-default} names an unset variable, then the default is used', () => {
    const config = loadConfig(env, yamlFile('redis: { url: "${REDIS_URL:-redis://10.0.0.5:6379}" }'));
    expect(config.redis.url).toBe('redis://10.0.0.5:6379');
  });

  it('when a variable holds YAML syntax, then it stays a plain string', () => {
    const config = loadConfig({ ...env, TG_TOKEN: '1:x", chatId: "@evil' }, yamlFile('channels:\n  ops: { type: telegram, botToken: "${TG_TOKEN}", chatId: "-100" }'));
    expect(config.channels.ops).toMatchObject({ botToken: '1:x", chatId: "@evil', chatId: '-100' });
  });

  it('when several settings are wrong, then every problem is listed with its exact path', () => {
    const problems = problemsOf(() =>
      loadConfig(
        env,
        yamlFile(`
dedup: { window: five minutes }
channels:
  ops: { type: telegram, botToken: "\${UNSET_TOKEN}" }
  chat: { type: pigeon }
routes:
  - match: { severity: urgent }
    channels: [ops]
`),
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'dedup.window: "five minutes" is not a duration (use 500ms, 10s, 5m, 1h)',
        'channels.ops.botToken: required',
        'channels.ops.chatId: required',
        expect.stringMatching(/^channels\.chat\.type: /),
      ]),
    );
  });

  it('when a route names a channel that does not exist, then the error points at it', () => {
    const problems = problemsOf(() =>
      loadConfig(env, yamlFile('channels:\n  out: { type: console }\nroutes:\n  - match: { severity: urgent }\n    channels: [out, pager]\n')),
    );
    expect(problems).toEqual(['routes.0.channels.1: no channel named "pager"', 'routes.0.match.severity: "urgent" is not one of critical, error, warning, info']);
  });

  it('when a label matcher is an invalid regex, then the error says so at its path', () => {
    const problems = problemsOf(() =>
      loadConfig(env, yamlFile('channels:\n  out: { type: console }\nroutes:\n  - match: { labels: { team: "=~(db" }}\n    channels: [out]\n')),
    );
    expect(problems).toEqual([expect.stringMatching(/^routes\.0\.match\.labels\.team: invalid regular expression/)]);
  });

  it('when a key is misspelled, then it is reported instead of silently ignored', () => {
    expect(problemsOf(() => loadConfig(env, yamlFile('channels:\n  out: { type: console, tempalte: x.hbs }\n')))).toEqual([
      expect.stringMatching(/^channels\.out: .*tempalte/),
    ]);
  });

  it('when the file is not YAML, then the error says so and names the file', () => {
    expect(() => loadConfig(env, yamlFile('channels: [\n'))).toThrow(/GATEWAY_CONFIG=\/etc\/gateway.yaml[\s\S]*not valid YAML/);
  });

  it('when PORT is set, then it wins over the file', () => {
    expect(loadConfig({ ...env, PORT: '9200' }, yamlFile('port: 9100')).port).toBe(9200);
  });
});

describe('loadConfig: WeCom mentions', () => {
  it('when a WeCom channel lists mobiles and chooses no msgType, then it sends text messages, where WeCom honours them', () => {
    const file = yamlFile('channels:\n  ops-wecom: { type: wecom, key: k-1, mentionMobiles: ["13800000000"] }\n');
    expect(loadConfig({ GATEWAY_CONFIG: 'gw.yaml' }, file).channels['ops-wecom']).toMatchObject({ msgType: 'text', mentionMobiles: ['13800000000'] });
  });

  it('when a WeCom channel asks for markdown and lists mobiles, then the error says markdown cannot mention by mobile', () => {
    const file = yamlFile('channels:\n  ops: { type: wecom, key: k-1, msgType: markdown, mentionMobiles: [13800000000] }\n');
    expect(problemsOf(() => loadConfig({ GATEWAY_CONFIG: 'gw.yaml' }, file))).toEqual([
      'channels.ops.mentionMobiles: WeCom markdown cannot mention by mobile: drop msgType: markdown (the channel then sends text messages), or use mentionUserIds',
    ]);
  });

  it('when a WeCom channel lists no mobiles, then it sends markdown', () => {
    const file = yamlFile('channels:\n  ops: { type: wecom, key: k-1, mentionUserIds: [zhangsan] }\n');
    expect(loadConfig({ GATEWAY_CONFIG: 'gw.yaml' }, file).channels.ops).toMatchObject({ msgType: 'markdown' });
  });
});

describe('the shipped example config', () => {
  it('when its variables are set, then it loads, with every channel type it shows', () => {
    const path = `${__dirname}/../../../config/gateway.example.yaml`;
    const config = loadConfig({ GATEWAY_CONFIG: path, TG_TOKEN: '123:abc', WECOM_KEY: 'k-1', DT_TOKEN: 't-1', DT_SECRET: 'SEC1' }, (p) => readFileSync(p, 'utf8'));
    expect(Object.values(config.channels).map((c) => c.type).sort()).toEqual(['console', 'dingtalk', 'telegram', 'wecom']);
    expect(config.routes?.length).toBeGreaterThan(0);
  });
});
