import type { FakeTelegramRequest } from '../fakes/fake-telegram';
import { gatewayProcessesPerTest } from '../support/gateway-processes-per-test';
import { oneAlert } from '../support/one-alert';
import { waitFor } from '../support/wait-for';

// A killed process's jobs are taken over after 2 s instead of BullMQ's 30 s lock and stalled-check interval.
const SETTINGS = ['delivery: { backoff: 100ms, timeout: 60s, stalledInterval: 2s }', 'dedup: { window: 5m }'];

const method = (r: FakeTelegramRequest) => r.path.split('/').pop()!.toLowerCase();
const body = (r: FakeTelegramRequest | undefined) => r?.body as { message_id?: number; reply_parameters?: { message_id?: number } } | undefined;

async function post(url: string, payload: object): Promise<void> {
  const res = await fetch(`${url}/webhook/alertmanager`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
  expect(res.status).toBe(202);
}

describe('kill -9 and the living message', () => {
  const gateways = gatewayProcessesPerTest('life-crash');

  it('when the process is killed after the first message was recorded, then after a restart the resolve edits that message and replies to it: no second first message', async () => {
    const { tg } = gateways;
    const env = gateways.writeConfig(...SETTINGS);
    const first = await gateways.start(env);
    await post(first.url, oneAlert('firing'));
    await first.waitForLog((e) => e.outcome === 'sent', 'the first message');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await gateways.start(env);
    await post(second.url, oneAlert('resolved'));
    await second.waitForLog((e) => e.outcome === 'edited', 'the resolve edit');
    const all = await tg.waitForRequests(3);
    expect(all.map(method)).toEqual(['sendmessage', 'editmessagetext', 'sendmessage']);
    expect(body(all[1])?.message_id).toBe(1);
    expect(body(all[2])?.reply_parameters?.message_id).toBe(1);
    expect(tg.messages()).toHaveLength(2);
  }, 60_000);

  it('when the process is killed while the first message is in flight (Telegram took it, the answer never came), then the retry after the restart sends it again, warns, and every later step goes to the retry\'s message', async () => {
    const { tg } = gateways;
    const env = gateways.writeConfig(...SETTINGS);
    tg.script('acceptThenHang');
    const first = await gateways.start(env);
    await post(first.url, oneAlert('firing'));
    await tg.waitForRequests(1);
    // The chat shows the message; the gateway never heard so.
    expect(tg.messages()).toHaveLength(1);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await gateways.start(env);
    await second.waitForLog((e) => e.level === 'warn' && /stopped mid-send/.test(e.message), 'the warning about the interrupted send', 20_000);
    await waitFor(() => tg.messages().length === 2 || undefined, 'the resent first message', 20_000);
    await post(second.url, oneAlert('resolved'));
    await second.waitForLog((e) => e.outcome === 'edited', 'the resolve edit');
    const all = await tg.waitForRequests(4);
    expect(all.map(method)).toEqual(['sendmessage', 'sendmessage', 'editmessagetext', 'sendmessage']);
    // The one duplicate is the message whose send was cut off; the state names the retry's message.
    expect(body(all[2])?.message_id).toBe(2);
    expect(body(all[3])?.reply_parameters?.message_id).toBe(2);
    expect(tg.message(1)!.text).toMatch(/FIRING/);
    expect(tg.message(2)!.text).toMatch(/^✅ RESOLVED/);
  }, 60_000);
});
