import { configSchema } from '../../../src/config/schema';
import { startupLine, withoutPassword } from '../../../src/observability/startup-line';

const BOT_TOKEN = '123456789:AAHsecretBotToken_0123456789';

describe('startup line', () => {
  it('when started, then it names version, role, channels with their types, routes count and Redis without its password', () => {
    const config = configSchema.parse({
      role: 'worker',
      redis: { url: 'redis://default:s3cr3t-pass@redis.internal:6380/2', prefix: 'ngw' },
      auth: { adminToken: 'admin-secret-token' },
      delivery: { concurrency: 8 },
      channels: { 'ops-telegram': { type: 'telegram', botToken: BOT_TOKEN, chatId: '-1001' }, console: { type: 'console' } },
      routes: [{ channels: ['ops-telegram'] }, { match: { source: 'sentry' }, channels: ['console'] }],
    });
    const line = startupLine(config, '0.1.0', 9000);
    expect(line.message).toBe('notification-gateway 0.1.0 listening on :9000');
    expect(line.fields).toEqual({
      role: 'worker',
      channels: 'ops-telegram(telegram),console(console)',
      routes: 2,
      redis: 'redis://default:***@redis.internal:6380/2',
      prefix: 'ngw',
      workers: 'concurrency 8 per channel',
      admin: '/admin/queues',
      open: 'none',
    });
    const text = JSON.stringify(line);
    for (const secret of [BOT_TOKEN, 's3cr3t-pass', 'admin-secret-token']) expect(text).not.toContain(secret);
  });

  it('when no routes are configured and no admin token, then the line says every channel gets every alert and the dashboard is off', () => {
    const line = startupLine(configSchema.parse({ role: 'api' }), undefined, 1234);
    expect(line.message).toBe('notification-gateway unknown version listening on :1234');
    expect(line.fields).toMatchObject({ role: 'api', routes: '0 (every channel gets every alert)', workers: 'off', admin: 'off (set ADMIN_TOKEN)' });
  });

  it('when the Redis URL does not parse, then it is not printed at all (it may hold the password)', () => {
    expect(withoutPassword('redis://:pa ss@[bad')).toBe('(unparsable URL)');
    expect(withoutPassword('rediss://:only-password@host:6379')).toBe('rediss://:***@host:6379');
  });

  it('when the Redis password is in the URL query, then the start-up line shows it masked', () => {
    const config = configSchema.parse({ redis: { url: 'redis://redis.internal:6379/0?password=q-s3cret-7f&db=0' } });
    const { redis } = startupLine(config, '0.1.0', 9000).fields;
    expect(redis).not.toContain('q-s3cret-7f');
    expect(redis).toContain('password=***');
  });

  it('when some credential is set and auth.allowOpen names routes, then the line lists exactly those open routes', () => {
    const config = configSchema.parse({ auth: { token: 't-1', allowOpen: ['/test', '/webhook/alertmanager'] } });
    expect(startupLine(config, '0.1.0', 9000).fields.open).toBe('/webhook/alertmanager,/test (auth.allowOpen)');
  });

  it('when auth.allowOpen names an unknown route, then the config is refused naming the known ones', () => {
    const parsed = configSchema.safeParse({ auth: { token: 't-1', allowOpen: ['/webhook/sentr'] } });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('/webhook/sentry, /webhook/alertmanager, /test, /deliveries');
  });
});
