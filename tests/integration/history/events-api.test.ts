import request from 'supertest';
import type { EventRecord } from '../../../src/history/record';
import { startHarness, type Harness } from '../../support/gateway-harness';
import { createThrowawayRedis } from '../../support/throwaway-redis';
import { waitFor } from '../../support/wait-for';
import { alertEvent, idFor, seedStore } from '../../support/history-seed';

const ADMIN = 'admin-token-for-history-0123';
const SHARED = 'shared-token-for-history-0123';
const BOT_TOKEN = '123456789:AAHhistorySecretToken_abcdefghijk';
const DT_SECRET = 'SECdingtalk0123456789abcdef';

const events = (res: request.Response) => (res.body as { events: EventRecord[] }).events;
const titles = (res: request.Response) => events(res).map((e) => e.title);

describe('GET /events, /errors, /config and / over a seeded history', () => {
  let gw: Harness;
  let seeded: ReturnType<typeof seedStore>;
  const now = Date.now();
  const auth = { Authorization: `Bearer ${ADMIN}` };

  beforeAll(async () => {
    gw = await startHarness({
      auth: { adminToken: ADMIN, token: SHARED },
      channels: {
        ops: { type: 'telegram', apiUrl: 'http://127.0.0.1:9', botToken: BOT_TOKEN, chatId: '-100123' },
        dt: { type: 'dingtalk', apiUrl: 'http://127.0.0.1:9', accessToken: 'dingtalk-access-token-0123', secret: DT_SECRET },
      },
      redis: { url: `redis://:redis-password-0123@${new URL(process.env.TEST_REDIS_URL!).host}` },
    }, 'events-api');
    seeded = seedStore(gw.config.redis.prefix);
    const seed = async (n: number, minutesAgo: number, fields: Parameters<typeof alertEvent>[0], deliveries: Array<[string, string]>) => {
      await seeded.store.recordEvent(idFor(n), alertEvent(fields), now - minutesAgo * 60_000, deliveries.map(([channel]) => channel));
      for (const [channel, outcome] of deliveries) {
        if (outcome !== 'pending') await seeded.store.recordOutcome(idFor(n), channel, { outcome: outcome as 'sent', attempts: 1 });
      }
    };
    await seed(1, 300, { source: 'sentry', severity: 'error', title: 'ZeroDivisionError: division by zero', project: 'payments', environment: 'production' }, [['ops', 'sent']]);
    await seed(2, 200, { source: 'sentry', severity: 'critical', title: 'KeyError: user', project: 'shop', environment: 'staging', status: 'resolved' }, [['ops', 'failed'], ['dt', 'sent']]);
    await seed(3, 90, { source: 'alertmanager', severity: 'warning', title: 'DiskFull on db-1', message: 'disk 95% full', project: 'db' }, [['dt', 'suppressed']]);
    await seed(4, 30, { source: 'alertmanager', severity: 'critical', title: 'HostDown', message: 'Node api-1 stopped answering', project: 'shop', environment: 'production' }, [['ops', 'sent'], ['dt', 'failed']]);
    await seed(5, 5, { source: 'test', severity: 'info', title: 'Test alert', project: undefined, environment: undefined }, [['ops', 'pending']]);
  });
  afterAll(async () => {
    seeded.close();
    await gw.stop();
  });

  it('when no filter is given, then every event is listed newest first with its deliveries', async () => {
    const res = await request(gw.url).get('/events').set(auth).expect(200);
    expect(titles(res)).toEqual(['Test alert', 'HostDown', 'DiskFull on db-1', 'KeyError: user', 'ZeroDivisionError: division by zero']);
    expect((res.body as { next: unknown }).next).toBeNull();
    const host = events(res)[1]!;
    expect(Object.keys(host)).toEqual(expect.arrayContaining(['id', 'receivedAt', 'source', 'status', 'severity', 'title', 'message', 'project', 'environment', 'dedupKey', 'url', 'deliveries']));
    expect(host.deliveries.map((d) => [d.channel, d.outcome])).toEqual([['ops', 'sent'], ['dt', 'failed']]);
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['source', { source: 'sentry' }, ['KeyError: user', 'ZeroDivisionError: division by zero']],
    ['status', { status: 'resolved' }, ['KeyError: user']],
    ['severity', { severity: 'critical' }, ['HostDown', 'KeyError: user']],
    ['project', { project: 'shop' }, ['HostDown', 'KeyError: user']],
    ['environment', { environment: 'production' }, ['HostDown', 'DiskFull on db-1', 'ZeroDivisionError: division by zero']],
    ['channel', { channel: 'dt' }, ['HostDown', 'DiskFull on db-1', 'KeyError: user']],
    ['outcome', { outcome: 'failed' }, ['HostDown', 'KeyError: user']],
    ['q in the title, any case', { q: 'diskfull' }, ['DiskFull on db-1']],
    ['q in the message', { q: 'stopped answering' }, ['HostDown']],
    ['since as a duration', { since: '1h' }, ['Test alert', 'HostDown']],
    ['until as an ISO time', { until: new Date(now - 100 * 60_000).toISOString() }, ['KeyError: user', 'ZeroDivisionError: division by zero']],
    ['channel and outcome: that channel\'s outcome', { channel: 'ops', outcome: 'failed' }, ['KeyError: user']],
    ['source, severity and since together', { source: 'alertmanager', severity: 'critical', since: '2h' }, ['HostDown']],
    ['project and environment together', { project: 'shop', environment: 'staging' }, ['KeyError: user']],
    ['a filter nothing matches', { source: 'sentry', outcome: 'suppressed' }, []],
  ])('when filtered by %s, then only the matching events are listed', async (_what, query, expected) => {
    const res = await request(gw.url).get('/events').query(query).set(auth).expect(200);
    expect(titles(res)).toEqual(expected);
  });

  it('when limit is smaller than the matches, then pages follow the cursor without gaps', async () => {
    const first = await request(gw.url).get('/events').query({ limit: 2 }).set(auth).expect(200);
    expect(titles(first)).toEqual(['Test alert', 'HostDown']);
    const next = (first.body as { next: string }).next;
    const second = await request(gw.url).get('/events').query({ limit: 2, cursor: next }).set(auth).expect(200);
    expect(titles(second)).toEqual(['DiskFull on db-1', 'KeyError: user']);
    const third = await request(gw.url).get('/events').query({ limit: 2, cursor: (second.body as { next: string }).next }).set(auth).expect(200);
    expect(titles(third)).toEqual(['ZeroDivisionError: division by zero']);
    expect((third.body as { next: unknown }).next).toBeNull();
  });

  it.each<[string, string]>([
    ['source', 'source=nagios'],
    ['status', 'status=open'],
    ['severity', 'severity=fatal'],
    ['outcome', 'outcome=delivered'],
    ['channel', 'channel=nowhere'],
    ['project', `project=${'x'.repeat(201)}`],
    ['environment', 'environment='],
    ['q', 'q=a&q=b'],
    ['since', 'since=yesterday'],
    ['until', 'until=2026-13-45T99:00:00Z'],
    ['since', `since=1h&until=${encodeURIComponent(new Date(now - 3 * 3600_000).toISOString())}`],
    ['limit', 'limit=0'],
    ['limit', 'limit=501'],
    ['limit', 'limit=ten'],
    ['cursor', 'cursor=not-a-cursor'],
    ['sort', 'sort=asc'],
  ])('when %s is bad (%s), then the answer is 400 invalid_query naming it', async (parameter, query) => {
    const res = await request(gw.url).get(`/events?${query}`).set(auth).expect(400);
    expect(res.body).toEqual({ error: { code: 'invalid_query', message: expect.stringMatching(new RegExp(`^${parameter}: `)) } });
  });

  it('when /errors is asked, then only Sentry events are listed, and /errors/latest is the newest of them with its timeline', async () => {
    const res = await request(gw.url).get('/errors').set(auth).expect(200);
    expect(titles(res)).toEqual(['KeyError: user', 'ZeroDivisionError: division by zero']);
    const latest = await request(gw.url).get('/errors/latest').set(auth).expect(200);
    expect(latest.body).toMatchObject({ id: idFor(2), source: 'sentry', title: 'KeyError: user', timeline: expect.any(Array) });
    const filtered = await request(gw.url).get('/errors').query({ severity: 'error' }).set(auth).expect(200);
    expect(titles(filtered)).toEqual(['ZeroDivisionError: division by zero']);
    await request(gw.url).get('/errors').query({ source: 'alertmanager' }).set(auth).expect(400);
    await request(gw.url).get(`/errors/${idFor(3)}`).set(auth).expect(404);
  });

  it('when /events/latest and /events/{id} are asked, then they answer the record with its timeline, and 404 for an unknown id', async () => {
    const latest = await request(gw.url).get('/events/latest').set(auth).expect(200);
    expect(latest.body).toMatchObject({ id: idFor(5), title: 'Test alert' });
    const one = await request(gw.url).get(`/events/${idFor(2)}`).set(auth).expect(200);
    expect((one.body as { timeline: Array<{ channel: string; outcome: string }> }).timeline.map((t) => `${t.channel}:${t.outcome}`)).toEqual([':pending', 'ops:failed', 'dt:sent']);
    await request(gw.url).get(`/events/${idFor(99)}`).set(auth).expect(404);
    await request(gw.url).get('/events/<script>').set(auth).expect(404);
  });

  it.each(['/', '/events', '/events/latest', `/events/${idFor(1)}`, '/errors', '/errors/latest', '/config', '/ui', `/ui/events/${idFor(1)}`, '/ui/preview'])(
    'when %s is asked without the admin token, then it is 401; the shared token does not open it while an admin token is set',
    async (path) => {
      const refused = await request(gw.url).get(path).set('Accept', 'application/json').expect(401);
      expect(refused.headers['www-authenticate']).toMatch(/^Basic /);
      await request(gw.url).get(path).set('Accept', 'application/json').set('Authorization', `Bearer ${SHARED}`).expect(401);
      await request(gw.url).get(path).set('Accept', 'application/json').auth('ops', 'wrong').expect(401);
      await request(gw.url).get(path).set('Accept', 'application/json').auth('anyone', ADMIN).expect(200);
      await request(gw.url).get(path).set('Accept', 'application/json').query({ token: ADMIN }).expect(200);
    },
  );

  it('when the page lists alerts, then it pages with the cursor, keeps the filters, and shows a bad filter as an escaped message', async () => {
    const first = await request(gw.url).get('/ui').query({ limit: 1, source: 'alertmanager' }).set(auth).expect(200);
    expect(first.headers['content-security-policy']).toMatch(/script-src 'nonce-[^']+'/);
    expect(first.text).toContain('HostDown');
    expect(first.text).not.toContain('Test alert');
    const older = /id="older" href="([^"]+)"/.exec(first.text)?.[1];
    expect(older).toBeDefined();
    const second = await request(gw.url).get(older!.replace(/&amp;/g, '&')).set(auth).expect(200);
    expect(second.text).toContain('DiskFull on db-1');
    expect(second.text).not.toContain('HostDown');
    const bad = await request(gw.url).get('/ui').query({ since: '<b>bogus</b>' }).set(auth).expect(200);
    expect(bad.text).toContain('since: &quot;&lt;b&gt;bogus&lt;/b&gt;&quot; is neither an ISO time');
    expect(bad.text).toContain('&lt;b&gt;bogus&lt;/b&gt;');
    expect(bad.text).not.toContain('<b>bogus</b>');
  });

  it('when /config is asked, then it shows the effective configuration with every secret as ***', async () => {
    const res = await request(gw.url).get('/config').set(auth).expect(200);
    const text = JSON.stringify(res.body);
    for (const secret of [ADMIN, SHARED, BOT_TOKEN, DT_SECRET, 'dingtalk-access-token-0123', 'redis-password-0123']) expect(text).not.toContain(secret);
    expect(res.body).toMatchObject({
      auth: { adminToken: '***', token: '***' },
      channels: { ops: { type: 'telegram', botToken: '***', chatId: '-100123' }, dt: { accessToken: '***', secret: '***' } },
      history: { enabled: true, retentionMs: 7 * 24 * 3600_000, maxEvents: 100_000 },
      delivery: { attempts: 3 },
    });
    expect((res.body as { redis: { url: string } }).redis.url).toMatch(/^redis:\/\/:\*\*\*@/);
  });

  it('when / is asked as JSON, then it is the service info; a browser is sent to /ui', async () => {
    const info = await request(gw.url).get('/').set(auth).expect(200);
    expect(info.body).toMatchObject({
      name: 'notification-gateway', role: 'all', routes: 0,
      channels: [{ name: 'ops', type: 'telegram' }, { name: 'dt', type: 'dingtalk' }],
      links: { ui: '/ui', events: '/events', errors: '/errors', config: '/config' },
    });
    const browser = await request(gw.url).get('/').set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8').expect(302);
    expect(browser.headers.location).toBe('/ui');
  });
});

describe('history routes with only the shared token, and with no credential at all', () => {
  it('when only a shared token is set, then it opens the history; when none is set, the history is open', async () => {
    const shared = await startHarness({ auth: { token: SHARED } }, 'events-shared');
    try {
      await request(shared.url).get('/events').expect(401);
      await request(shared.url).get('/events').set('Authorization', `Bearer ${SHARED}`).expect(200);
      await request(shared.url).get('/config').auth('x', SHARED).expect(200);
    } finally {
      await shared.stop();
    }
    const open = await startHarness({}, 'events-open');
    try {
      await request(open.url).get('/events').expect(200);
      await request(open.url).get('/errors/latest').expect(404);
    } finally {
      await open.stop();
    }
  });
});

describe('history routes while Redis is away', () => {
  it('when Redis stops answering, then /events and /ui are 503 history_unavailable, not a 500, and recover', async () => {
    const redis = await createThrowawayRedis();
    const gw = await startHarness({ role: 'api', redis: { url: redis.url } }, 'events-noredis');
    try {
      await request(gw.url).get('/events').expect(200);
      await redis.stop();
      const res = await request(gw.url).get('/events').expect(503);
      expect((res.body as { error: { code: string } }).error.code).toBe('history_unavailable');
      await request(gw.url).get(`/events/${idFor(1)}`).expect(503);
      await request(gw.url).get('/ui').expect(503);
      await redis.start();
      await waitFor(async () => (await request(gw.url).get('/events')).status === 200, '/events to answer again');
    } finally {
      await redis.start();
      await gw.stop();
      await redis.cleanup();
    }
  });
});
