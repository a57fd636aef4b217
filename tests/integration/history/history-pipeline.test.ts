import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { alertGroup } from '../../support/alert-burst';
import { fakeTelegramChannel } from '../../support/fake-telegram-channel';
import { eventWhen, outcomes } from '../../support/history-client';
import { telegramGatewayPerTest } from '../../support/telegram-gateway-per-test';

const fixture = <T>(name: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', name), 'utf8')) as T;

/** The same Sentry issue, seen again: a new event id each time. */
function eventAlert(n: number) {
  const body = fixture<{ data: { event: { event_id: string } } }>('sentry-event-alert.json');
  body.data.event.event_id = `${n.toString(16).padStart(8, '0')}${'0'.repeat(24)}`;
  return body;
}

describe('alert history: what became of each alert, per channel', () => {
  const suite = telegramGatewayPerTest();
  const start = (raw: Record<string, unknown> = {}) =>
    suite.startGateway({ channels: { ops: fakeTelegramChannel(suite.tg), stdout: { type: 'console' } }, ...raw }, 'history');

  it('when an alert is sent, then the 202 names its event and the record shows sent with the provider\'s message id on each channel', async () => {
    const gw = await start();
    const res = await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['DiskFull'])).expect(202);
    const ids = (res.body as { events: string[] }).events;
    expect(ids).toHaveLength(1);
    const event = await eventWhen(gw, ids[0]!, (e) => e.deliveries.every((d) => d.outcome === 'sent'));
    expect(event).toMatchObject({ id: ids[0], source: 'alertmanager', status: 'firing', title: expect.stringContaining('DiskFull') });
    const ops = event.deliveries.find((d) => d.channel === 'ops')!;
    const [sent] = await suite.tg.waitForRequests(1);
    expect(sent).toBeDefined();
    expect(ops).toMatchObject({ outcome: 'sent', attempts: 1, error: null });
    expect(ops.providerMessageId).toMatch(/^\d+$/);
    expect(event.timeline.map((t) => `${t.channel}:${t.outcome}`)).toEqual(expect.arrayContaining([':pending', 'ops:sent', 'stdout:sent']));
  });

  it('when the sender retries the same webhook, then it is answered with the same event ids and recorded once', async () => {
    const gw = await start();
    const body = alertGroup(['Retried']);
    const first = await request(gw.url).post('/webhook/alertmanager').send(body).expect(202);
    const again = await request(gw.url).post('/webhook/alertmanager').send(body).expect(202);
    expect((again.body as { events: string[] }).events).toEqual((first.body as { events: string[] }).events);
    const id = (first.body as { events: string[] }).events[0]!;
    await eventWhen(gw, id, (e) => outcomes(e).ops === 'sent');
    const list = await request(gw.url).get('/events').query({ q: 'Retried' }).expect(200);
    expect((list.body as { events: unknown[] }).events).toHaveLength(1);
  });

  it('when a repeat of an issue arrives within the dedup window, then its record says suppressed, and edited where the living message was edited', async () => {
    const gw = await start({ dedup: { window: '1m', digest: false }, lifecycle: { editInterval: '1s' } });
    const first = await request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'event_alert').send(eventAlert(1)).expect(202);
    const firstId = (first.body as { events: string[] }).events[0]!;
    await eventWhen(gw, firstId, (e) => outcomes(e).ops === 'sent');
    const repeat = await request(gw.url).post('/webhook/sentry').set('Sentry-Hook-Resource', 'event_alert').send(eventAlert(2)).expect(202);
    const repeatId = (repeat.body as { events: string[] }).events[0]!;
    expect(repeatId).not.toBe(firstId);
    // Telegram edits the first message to count the repeat; the console channel cannot edit.
    const event = await eventWhen(gw, repeatId, (e) => outcomes(e).ops === 'edited' && outcomes(e).stdout === 'suppressed');
    expect(event.timeline.find((t) => t.channel === 'stdout' && t.outcome === 'suppressed')?.detail).toBe('repeat 1 within the dedup window');
    expect(event.timeline.filter((t) => t.channel === 'ops').map((t) => t.outcome)).toEqual(['suppressed', 'edited']);
    expect(suite.tg.requests.map((r) => r.path.split('/').pop())).toEqual(['sendMessage', 'editMessageText']);
  });

  it('when an alert matches a digest route, then its record says digested and names the summary that carries it', async () => {
    const gw = await start({ routes: [{ match: { severity: 'warning' }, channels: ['ops'], digest: '1h' }, { match: {}, channels: ['stdout'] }] });
    const body = alertGroup(['Warned']);
    for (const alert of body.alerts as Array<{ labels: Record<string, string> }>) alert.labels.severity = 'warning';
    const res = await request(gw.url).post('/webhook/alertmanager').send(body).expect(202);
    const event = await eventWhen(gw, (res.body as { events: string[] }).events[0]!, (e) => outcomes(e).ops === 'digested' && outcomes(e).stdout === 'sent');
    expect(event.timeline.find((t) => t.channel === 'ops' && t.outcome === 'digested')?.detail).toMatch(/^in summary /);
    expect(suite.tg.requests).toHaveLength(0);
  });

  it('when Telegram answers "chat not found", then the record says failed with Telegram\'s answer', async () => {
    const gw = await start();
    suite.tg.script('chatNotFound');
    const res = await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['Unreachable'])).expect(202);
    const event = await eventWhen(gw, (res.body as { events: string[] }).events[0]!, (e) => outcomes(e).ops === 'failed');
    expect(event.deliveries.find((d) => d.channel === 'ops')).toMatchObject({ attempts: 1, error: 'Telegram 400: Bad Request: chat not found', providerMessageId: null });
    expect(outcomes(event).stdout).toBe('sent');
  });

  it('when Telegram fails once with a 500, then the record went through retrying and ends sent on the second attempt', async () => {
    const gw = await start();
    suite.tg.script('internalError', 'ok');
    const res = await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['Flaky'])).expect(202);
    const event = await eventWhen(gw, (res.body as { events: string[] }).events[0]!, (e) => outcomes(e).ops === 'sent');
    const steps = event.timeline.filter((t) => t.channel === 'ops');
    expect(steps.map((t) => [t.outcome, t.attempt])).toEqual([['retrying', 1], ['sent', 2]]);
    expect(steps[0]!.error).toMatch(/500/);
    expect(event.deliveries.find((d) => d.channel === 'ops')).toMatchObject({ outcome: 'sent', attempts: 2, error: null });
  });

  it('when history is off, then webhooks still deliver and /events says it is off', async () => {
    const gw = await start({ history: false });
    const res = await request(gw.url).post('/webhook/alertmanager').send(alertGroup(['NoHistory'])).expect(202);
    await suite.tg.waitForRequests(1);
    expect((res.body as { events: string[] }).events).toHaveLength(1);
    const off = await request(gw.url).get('/events').expect(404);
    expect((off.body as { error: { code: string } }).error.code).toBe('history_off');
  });
});
