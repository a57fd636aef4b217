import { join } from 'node:path';
import { DelayedError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { createTelegramChannel } from '../../src/channels/telegram/notifier';
import { telegramConfigSchema } from '../../src/channels/telegram/config';
import { lifecyclePolicy, lifecycleSchema } from '../../src/lifecycle/config';
import { createLifecycleDelivery, type LifecycleOutcome } from '../../src/lifecycle/lifecycle-delivery';
import { createLifecycleStore, type LifecycleStore } from '../../src/lifecycle/lifecycle-store';
import { parseAlertmanager } from '../../src/normalize/alertmanager';
import type { AlertEvent } from '../../src/normalize/event';
import type { DeliveryJobData, DeliveryResult } from '../../src/queue/delivery-job';
import { createRenderer } from '../../src/render/render';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram, type FakeTelegramRequest } from '../fakes/fake-telegram';
import { oneAlert } from '../support/one-alert';
import { removeKeys, testRedisUrl, uniquePrefix } from '../support/test-redis';

const renderer = createRenderer({ templatesDir: join(__dirname, '..', '..', 'templates'), timezone: 'UTC' });
const target = { name: 'ops', type: 'telegram' as const, locale: 'en' as const };
const method = (r: FakeTelegramRequest) => r.path.split('/').pop()!.toLowerCase();

function eventOf(status: 'firing' | 'resolved'): AlertEvent {
  const result = parseAlertmanager(oneAlert(status));
  if (result.kind !== 'events') throw new Error(`the sample alert did not parse: ${result.kind}`);
  return result.events[0]!;
}

/** When a job was sent back to the delayed set, by job id. */
const postponed = new Map<string, number>();

/** What the worker hands the lifecycle: BullMQ's job, of which the id and data are read and moveToDelayed called. */
const jobOf = (id: string, event: AlertEvent, extra: Partial<DeliveryJobData> = {}) =>
  ({
    id,
    data: { event, channel: 'ops', receivedAt: Date.now(), ...extra },
    moveToDelayed: async (timestamp: number) => void postponed.set(id, timestamp),
  }) as unknown as Job<DeliveryJobData, DeliveryResult>;

describe('lifecycle delivery across retries of one job', () => {
  let tg: FakeTelegram;
  let redis: Redis;
  let prefix: string;
  let store: LifecycleStore;
  const edits: string[] = [];
  let deliver: (job: Job<DeliveryJobData, DeliveryResult>) => Promise<LifecycleOutcome>;

  beforeEach(async () => {
    tg = await startFakeTelegram();
    redis = new Redis(testRedisUrl());
    prefix = uniquePrefix('life-unit');
    store = createLifecycleStore(redis, { prefix, ttlMs: () => 60_000 });
    const channel = createTelegramChannel('ops', telegramConfigSchema.parse({ type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id) }));
    const lifecycle = createLifecycleDelivery({
      channel, renderer, target, store,
      policy: lifecyclePolicy(lifecycleSchema.parse({}), undefined, true),
      timed: (call) => call(),
      onEdit: (_job, outcome) => edits.push(outcome),
      holdMs: 10_000,
    });
    deliver = (job) => lifecycle.deliver(job, AbortSignal.timeout(5000), undefined);
    edits.length = 0;
  });
  afterEach(async () => {
    await removeKeys(prefix);
    redis.disconnect();
    await tg.close();
  });

  it('when a job is retried after its first message was recorded (killed before BullMQ marked it done), then no second first message is sent', async () => {
    const firing = eventOf('firing');
    await expect(deliver(jobOf('job-1', firing))).resolves.toMatchObject({ kind: 'sent', providerMessageId: '1' });
    expect(await store.get('ops', firing.dedupKey)).toMatchObject({ status: 'firing', messageId: '1', chatId: String(FAKE_TELEGRAM_CHAT.id), sentBy: 'job-1', firstFiredAt: Date.parse(firing.occurredAt) });
    const again = await deliver(jobOf('job-1', firing));
    expect(again).toMatchObject({ kind: 'sent', providerMessageId: '1', warning: expect.stringMatching(/already sent/) });
    expect(tg.requests).toHaveLength(1);
  });

  it('when an earlier attempt was stopped during the send itself, then the retry sends (the only case a first message can be doubled) and says so; later steps go to the recorded message', async () => {
    const firing = eventOf('firing');
    // What a kill -9 while the request was in flight leaves behind: the marker, no message id.
    await store.beginSend('ops', firing.dedupKey, 'job-1');
    tg.script({ status: 200, body: JSON.stringify({ ok: true, result: { message_id: 7 } }) });
    const retried = await deliver(jobOf('job-1', firing));
    expect(retried).toMatchObject({ kind: 'sent', providerMessageId: '7', warning: expect.stringMatching(/stopped mid-send.*may also have reached the chat/) });
    expect((await store.get('ops', firing.dedupKey))?.messageId).toBe('7');
  });

  it('when a resolve job is retried after its edit was recorded, then only the reply is sent; after the reply too, nothing', async () => {
    await deliver(jobOf('job-1', eventOf('firing')));
    const resolved = eventOf('resolved');
    // The reply fails once (provider error): the job will be retried.
    tg.script('ok', 'internalError');
    await expect(deliver(jobOf('job-2', resolved))).rejects.toThrow(/Telegram 500/);
    expect(tg.requests.map(method)).toEqual(['sendmessage', 'editmessagetext', 'sendmessage']);
    await expect(deliver(jobOf('job-2', resolved))).resolves.toMatchObject({ kind: 'edited', replied: true });
    expect(tg.requests.map(method)).toEqual(['sendmessage', 'editmessagetext', 'sendmessage', 'sendmessage']);
    expect(tg.message(2)?.replyTo).toBe(1);
    await deliver(jobOf('job-2', resolved));
    expect(tg.requests).toHaveLength(4);
    expect(edits).toEqual(['edited']);
  });

  it('when an assignment arrives after the window (it passed dedup), then the living message is edited to name the assignee', async () => {
    const firing = eventOf('firing');
    await deliver(jobOf('job-1', firing));
    const assigned = { ...firing, identity: `${firing.identity}:assigned`, extra: { ...firing.extra, issueAction: 'assigned', assignee: 'Lena Fischer' } };
    await expect(deliver(jobOf('job-2', assigned))).resolves.toMatchObject({ kind: 'edited', providerMessageId: '1' });
    expect(tg.message(1)?.text).toContain('👤 assigned to Lena Fischer');
    expect((await store.get('ops', firing.dedupKey))?.assignee).toBe('Lena Fischer');
  });

  it('when another job of the incident is running, then this one goes back to the delayed set and sends nothing until it is done', async () => {
    const firing = eventOf('firing');
    await deliver(jobOf('job-1', firing));
    await store.lock('ops', firing.dedupKey, 'job-2', 10_000);
    await expect(deliver(jobOf('edit-1', firing, { kind: 'edit', after: 'job-1' }))).rejects.toBeInstanceOf(DelayedError);
    expect(postponed.get('edit-1')).toBeGreaterThan(Date.now() - 1000);
    expect(tg.requests).toHaveLength(1);
    await store.unlock('ops', firing.dedupKey, 'job-2');
    await expect(deliver(jobOf('job-2', eventOf('resolved')))).resolves.toMatchObject({ kind: 'edited', replied: true });
  });

  it('when a repeat edit runs after the incident was resolved, then it does nothing', async () => {
    const firing = eventOf('firing');
    await deliver(jobOf('job-1', firing));
    await deliver(jobOf('job-2', eventOf('resolved')));
    const before = tg.requests.length;
    await expect(deliver(jobOf('edit-1', firing, { kind: 'edit', after: 'job-1' }))).resolves.toMatchObject({ kind: 'skipped' });
    expect(tg.requests).toHaveLength(before);
  });
});
