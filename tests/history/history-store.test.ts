import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { createHistory } from '../../src/history/history';
import { createHistoryReader, decodeCursor } from '../../src/history/reader';
import type { HistoryOutcome } from '../../src/history/record';
import { createLogger } from '../../src/observability/logger';
import { alertEvent, idFor, seedStore } from '../support/history-seed';
import { removeKeys, testRedisUrl, uniquePrefix } from '../support/test-redis';


describe('history store and reader against real Redis', () => {
  let prefix: string;
  let seeded: ReturnType<typeof seedStore>;
  let redis: Redis;
  beforeEach(() => {
    prefix = uniquePrefix('hstore');
    seeded = seedStore(prefix, { maxEvents: 1000, retentionMs: 3600_000 });
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  });
  afterEach(async () => {
    seeded.close();
    redis.disconnect();
    await removeKeys(prefix);
  });
  const reader = () => createHistoryReader(redis, seeded.store.keys);

  it('when 1000 records share a few timestamps, then cursor paging returns each exactly once, newest first', async () => {
    const base = Date.now() - 60_000;
    // Ten records per millisecond: ties must not lose or repeat a record at a page boundary.
    for (let i = 0; i < 1000; i += 1) await seeded.store.recordEvent(idFor(i), alertEvent(), base + Math.floor(i / 10), ['ops']);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await reader().list({ limit: 37, ...(cursor && { cursor: decodeCursor(cursor) }) });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.next;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(Math.ceil(1000 / 37));
    expect(new Set(seen).size).toBe(1000);
    expect(seen).toHaveLength(1000);
    const times = (await Promise.all(seen.slice(0, 50).map((id) => reader().get(id)))).map((e) => Date.parse(e!.receivedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('when records are older than the retention, then the trim removes them and their keys', async () => {
    const now = Date.now();
    await seeded.store.recordEvent(idFor(1), alertEvent({ title: 'old' }), now - 2 * 3600_000, ['ops']);
    await seeded.store.recordEvent(idFor(2), alertEvent({ title: 'new' }), now - 60_000, ['ops']);
    expect(await seeded.store.trim(now)).toBe(1);
    const page = await reader().list({ limit: 50 });
    expect(page.events.map((e) => e.title)).toEqual(['new']);
    expect(await redis.exists(seeded.store.keys.event(idFor(1)), seeded.store.keys.timeline(idFor(1)))).toBe(0);
    expect(await reader().list({ limit: 50, severity: 'warning' })).toMatchObject({ events: [{ title: 'new' }] });
  });

  it('when more than maxEvents are stored, then the trim keeps the newest maxEvents', async () => {
    const base = Date.now() - 60_000;
    for (let i = 0; i < 1010; i += 1) await seeded.store.recordEvent(idFor(i), alertEvent(), base + i, ['ops']);
    expect(await seeded.store.trim()).toBe(10);
    expect(await seeded.store.count()).toBe(1000);
    expect(await reader().get(idFor(9))).toBeUndefined();
    expect(await reader().get(idFor(10))).toBeDefined();
    const all = await reader().list({ limit: 500, channel: 'ops' });
    expect(all.events[all.events.length - 1]!.id).toBe(idFor(510));
  });

  it('when an outcome changes, then the outcome filter follows it and the timeline keeps every step', async () => {
    await seeded.store.recordEvent(idFor(1), alertEvent(), Date.now(), ['ops', 'wecom']);
    await seeded.store.recordOutcome(idFor(1), 'ops', { outcome: 'retrying', attempts: 1, error: 'Telegram 500' });
    expect((await reader().list({ limit: 10, outcome: 'retrying' })).events).toHaveLength(1);
    expect((await reader().list({ limit: 10, outcome: 'pending' })).events).toHaveLength(1); // wecom still pending
    await seeded.store.recordOutcome(idFor(1), 'ops', { outcome: 'sent', attempts: 2, providerMessageId: '42' });
    expect((await reader().list({ limit: 10, outcome: 'retrying' })).events).toHaveLength(0);
    expect((await reader().list({ limit: 10, outcome: 'sent', channel: 'ops' })).events).toHaveLength(1);
    expect((await reader().list({ limit: 10, outcome: 'sent', channel: 'wecom' })).events).toHaveLength(0);
    const event = await reader().get(idFor(1));
    expect(event!.deliveries).toEqual([
      expect.objectContaining({ channel: 'ops', outcome: 'sent', attempts: 2, providerMessageId: '42', error: null }),
      expect.objectContaining({ channel: 'wecom', outcome: 'pending', attempts: 0 }),
    ]);
    expect(event!.timeline.map((t) => t.outcome)).toEqual(['pending', 'retrying', 'sent']);
  });

  it('when "pending" comes after a worker wrote an outcome (a retried intake job), then the outcome stays', async () => {
    await seeded.store.recordEvent(idFor(1), alertEvent(), Date.now(), ['ops']);
    await seeded.store.recordOutcome(idFor(1), 'ops', { outcome: 'sent', attempts: 1 });
    expect(await seeded.store.recordEvent(idFor(1), alertEvent(), Date.now(), ['ops'])).toBe(false);
    await seeded.store.recordOutcome(idFor(1), 'ops', { outcome: 'pending' });
    expect((await reader().get(idFor(1)))!.deliveries[0]!.outcome).toBe('sent');
  });

  it('when a secret appears in an alert or a provider answer, then the record holds it redacted', async () => {
    const secret = 'bot-token-0123456789';
    const scrubbing = seedStore(prefix, { secrets: [secret] });
    await scrubbing.store.recordEvent(idFor(1), alertEvent({ message: `curl https://api.example/bot${secret}/x` }), Date.now(), ['ops']);
    await scrubbing.store.recordOutcome(idFor(1), 'ops', { outcome: 'failed', error: `401 for /bot${secret}/sendMessage` });
    scrubbing.close();
    const stored = JSON.stringify(await redis.hgetall(seeded.store.keys.event(idFor(1)))) + JSON.stringify(await redis.lrange(seeded.store.keys.timeline(idFor(1)), 0, -1));
    expect(stored).not.toContain(secret);
    expect(stored).toContain('[redacted]');
  });
});

describe('the recorder other stages call', () => {
  let prefix: string;
  let redis: Redis;
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', format: 'text', secrets: [], stream: new Writable({ write: (chunk: Buffer, _e, done) => { logs.push(chunk.toString()); done(); } }) });
  beforeEach(() => {
    prefix = uniquePrefix('hrec');
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  });
  afterEach(async () => {
    redis.disconnect();
    await removeKeys(prefix);
  });
  const historyOn = (connection: Redis, registry = new Registry()) =>
    createHistory({ config: { enabled: true, retentionMs: 3600_000, maxEvents: 1000 }, prefix, redis: connection, readRedis: connection, redact: (t) => t, registry, logger });

  it.each<[HistoryOutcome, Record<string, string>]>([
    ['edited', { providerMessageId: '77', detail: 'resolved: the message was edited in place' }],
    ['digested', { detail: 'in the digest of 12 repeats' }],
    ['muted', { detail: 'quiet hours until 08:00' }],
  ])('when a stage records %s, then the event shows it with its details', async (outcome, extra) => {
    const history = historyOn(redis);
    await history.recordEvent(idFor(5), alertEvent(), Date.now(), ['ops']);
    await history.recordOutcome(idFor(5), 'ops', { outcome, ...extra });
    const event = await history.reader.get(idFor(5));
    expect(event!.deliveries[0]).toMatchObject({ channel: 'ops', outcome, ...(extra.providerMessageId && { providerMessageId: extra.providerMessageId }) });
    expect(event!.timeline[1]).toMatchObject({ channel: 'ops', outcome, detail: extra.detail });
    expect((await history.reader.list({ limit: 5, outcome })).events.map((e) => e.id)).toEqual([idFor(5)]);
  });

  it('when Redis refuses the write, then the recorder does not throw, counts the failure and logs one warning', async () => {
    const registry = new Registry();
    const broken = new Redis(testRedisUrl(), { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    const history = historyOn(broken, registry);
    await expect(history.recordEvent(idFor(1), alertEvent(), Date.now(), ['ops'])).resolves.toBeUndefined();
    await expect(history.recordOutcome(idFor(1), 'ops', { outcome: 'sent' })).resolves.toBeUndefined();
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/notification_gateway_history_write_failures_total\{kind="event"\} 1/);
    expect(metrics).toMatch(/notification_gateway_history_write_failures_total\{kind="outcome"\} 1/);
    expect(logs.filter((line) => /warn +history error/.test(line))).toHaveLength(1);
    broken.disconnect();
  });
});
