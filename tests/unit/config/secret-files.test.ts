import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load';
import { resolveSecretFiles } from '../../../src/config/secret-files';
import { problemsOf } from '../../support/config-problems';

const WECOM_URL = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx';

describe('secrets from files (Docker and Kubernetes secrets)', () => {
  let dir: string;
  /** A file holding `content`, as a mounted secret would (often with a trailing newline). */
  const secretFile = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ngw-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when a secret variable comes as X_FILE, then the trimmed file content is its value', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN_FILE: secretFile('tg', '123:abc\n'),
      TELEGRAM_CHAT_ID: '-1001234567890',
      DINGTALK_ACCESS_TOKEN_FILE: secretFile('dt', ' dt-token '),
      DINGTALK_SECRET_FILE: secretFile('dts', 'SECabc\r\n'),
      WEBHOOK_TOKEN_FILE: secretFile('wh', 'shared-token\n'),
      SENTRY_CLIENT_SECRET_FILE: secretFile('sentry', 'sentry-secret\n'),
      ADMIN_TOKEN_FILE: secretFile('admin', 'admin-token\n'),
      REDIS_PASSWORD_FILE: secretFile('redis', 'redis-pass\n'),
    });
    expect(config.channels.telegram).toMatchObject({ botToken: '123:abc' });
    expect(config.channels.dingtalk).toMatchObject({ accessToken: 'dt-token', secret: 'SECabc' });
    expect(config.auth).toMatchObject({ token: 'shared-token', sentry: { clientSecret: 'sentry-secret' }, adminToken: 'admin-token' });
    expect(config.redis.password).toBe('redis-pass');
  });

  it('when the YAML names ${VAR} and only VAR_FILE is set, then the file feeds the substitution', () => {
    const yaml = secretFile('gateway.yaml', 'channels:\n  ops: { type: telegram, botToken: "${TG_TOKEN}", chatId: "-100123" }\n');
    const config = loadConfig({ GATEWAY_CONFIG: yaml, TG_TOKEN_FILE: secretFile('tg', '42:secret\n') });
    expect(config.channels.ops).toMatchObject({ botToken: '42:secret' });
  });

  it('when both X and X_FILE are set, or X_FILE cannot be read or is empty, then the start stops naming the variable and the path', () => {
    const missing = join(dir, 'nope');
    expect(
      problemsOf(() =>
        loadConfig({ WEBHOOK_TOKEN: 'a', WEBHOOK_TOKEN_FILE: secretFile('wh', 'b'), ADMIN_TOKEN_FILE: missing, SENTRY_CLIENT_SECRET_FILE: secretFile('empty', '\n') }),
      ),
    ).toEqual([
      'WEBHOOK_TOKEN_FILE: set either WEBHOOK_TOKEN or WEBHOOK_TOKEN_FILE, not both',
      `SENTRY_CLIENT_SECRET_FILE: ${join(dir, 'empty')} is empty`,
      expect.stringMatching(new RegExp(`^ADMIN_TOKEN_FILE: cannot read ${missing}: ENOENT`)),
    ]);
  });

  it('when a variable that is a path, not a secret, ends in _FILE, or one the gateway never reads does, then it is left as it is', () => {
    const config = loadConfig({ REDIS_TLS_CA_FILE: '/etc/ssl/redis-ca.pem', SOME_OTHER_KEY_FILE: join(dir, 'not-there') });
    expect(config.redis.tls).toEqual({ caFile: '/etc/ssl/redis-ca.pem' });
  });

  it('when config fields come as xFile, then every channel type, auth and redis get the secret, and tls files stay paths', () => {
    const yaml = secretFile(
      'gateway.yaml',
      [
        'redis: { passwordFile: REDIS, tls: { caFile: /ca.pem, certFile: /c.pem, keyFile: /c.key } }',
        'auth: { tokenFile: TOKEN, adminTokenFile: ADMIN, sentry: { clientSecretFile: SENTRY }, alertmanager: { username: am, passwordFile: AM } }',
        'channels:',
        '  tg: { type: telegram, botTokenFile: TG, chatId: "-100123" }',
        '  wc: { type: wecom, keyFile: WC }',
        '  dt: { type: dingtalk, accessTokenFile: DT, secretFile: DTS }',
        '  wc2: { type: wecom, webhookUrlFile: WCURL }',
        '',
      ].join('\n').replace(/\b(REDIS|TOKEN|ADMIN|SENTRY|AM|TG|WC|DTS|DT|WCURL)\b/g, (name) => secretFile(name, name === 'WCURL' ? `${WECOM_URL}\n` : `${name.toLowerCase()}-value\n`)),
    );
    const config = loadConfig({ GATEWAY_CONFIG: yaml });
    expect(config.redis).toMatchObject({ password: 'redis-value', tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/c.key' } });
    expect(config.auth).toMatchObject({ token: 'token-value', adminToken: 'admin-value', sentry: { clientSecret: 'sentry-value' }, alertmanager: { password: 'am-value' } });
    expect(config.channels.tg).toMatchObject({ botToken: 'tg-value' });
    expect(config.channels.wc).toMatchObject({ key: 'wc-value' });
    expect(config.channels.dt).toMatchObject({ accessToken: 'dt-value', secret: 'dts-value' });
    expect(config.channels.wc2).toMatchObject({ webhookUrl: WECOM_URL });
  });

  it('when a channel type the gateway learns later has its own secret names, then xFile works for them with no change of its own', () => {
    const { raw, problems } = resolveSecretFiles(
      { channels: { chat: { type: 'newtype', appSecretFile: secretFile('s', 'app-secret\n'), signingKeyFile: secretFile('k', 'sign\n'), chatId: 'c1' } } },
      (path) => readFileSync(path, 'utf8'),
    );
    expect(problems).toEqual([]);
    expect(raw).toEqual({ channels: { chat: { type: 'newtype', appSecret: 'app-secret', signingKey: 'sign', chatId: 'c1' } } });
  });

  it('when x and xFile are both given, or xFile is unreadable, then the problem names the field and the path', () => {
    const yaml = secretFile('gateway.yaml', `channels:\n  tg: { type: telegram, botToken: "1:a", botTokenFile: ${secretFile('tg', 'x')}, chatId: "-1" }\n  dt: { type: dingtalk, accessTokenFile: ${join(dir, 'gone')} }\n`);
    expect(problemsOf(() => loadConfig({ GATEWAY_CONFIG: yaml }))).toEqual([
      'channels.tg.botTokenFile: set either botToken or botTokenFile, not both',
      expect.stringMatching(new RegExp(`^channels\\.dt\\.accessTokenFile: cannot read ${join(dir, 'gone')}: ENOENT`)),
    ]);
  });
});
