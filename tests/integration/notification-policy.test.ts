import { Queue } from 'bullmq';
import { FAKE_TELEGRAM_CHAT, FAKE_TELEGRAM_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram';
import { FAKE_WECOM_KEY, startFakeWecom, type FakeWecom } from '../fakes/fake-wecom';
import { startHarness, type Harness } from '../support/gateway-harness';
import { postGroup, repeats } from '../support/policy-alerts';
import { messageText, shownText } from '../support/telegram-message';
import { uniquePrefix } from '../support/test-redis';
import { waitFor } from '../support/wait-for';

let tg: FakeTelegram;
let wecom: FakeWecom;
let gw: Harness | undefined;

beforeEach(async () => {
  [tg, wecom] = await Promise.all([startFakeTelegram(), startFakeWecom()]);
});
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  await Promise.all([tg.close(), wecom.close()]);
});

const channels = () => ({
  'ops-telegram': { type: 'telegram', apiUrl: tg.url, botToken: FAKE_TELEGRAM_TOKEN, chatId: String(FAKE_TELEGRAM_CHAT.id), rateLimit: { max: 50, per: '1s' } },
  'ops-wecom': { type: 'wecom', apiUrl: wecom.url, key: FAKE_WECOM_KEY },
});
const wecomText = (body: unknown) => (body as { markdown: { content: string } }).markdown.content;

/** A clock `ms` before the next multiple of `period`, moving with real time: periods end when the test expects them to. */
function clockBefore(period: number, ms: number): () => number {
  const real = Date.now();
  const offset = Math.ceil((real + ms) / period) * period - ms - real;
  return () => Date.now() + offset;
}

async function summaryJobs(channel: string) {
  const queue = new Queue(`deliver.${channel}`, { connection: { url: gw!.config.redis.url }, prefix: gw!.config.redis.prefix });
  try {
    const jobs = (await queue.getJobs(['delayed', 'waiting', 'active', 'completed', 'failed'])).filter((job) => job.name === 'summary');
    return Promise.all(jobs.map(async (job) => ({ id: job.id, state: await job.getState(), finishedOn: job.finishedOn })));
  } finally {
    await queue.close();
  }
}

describe('notification policy: digests and quiet hours, end to end', () => {
  it('when 25 warnings of 3 issues hit a 10s digest route, then each channel gets one summary of 3 issues and 25 alerts at the period end, nothing before, while a critical on another route arrives at once', async () => {
    // The period ends 8 s after the start: enough to post everything, and seen to end.
    gw = await startHarness({
      channels: channels(),
      routes: [
        { match: { severity: 'critical' }, channels: ['ops-telegram'] },
        { match: { severity: 'warning' }, channels: ['ops-telegram', 'ops-wecom'], digest: '10s' },
      ],
    }, 'policy', { now: clockBefore(10_000, 8_000) });

    await postGroup(gw.url, [...repeats('DiskFilling', 'warning', 12), ...repeats('HighLatency', 'warning', 8)]);
    await postGroup(gw.url, [...repeats('HighLatency', 'warning', 2, 100), ...repeats('CertExpiring', 'warning', 3)]);
    // The critical arrives at once, while the warnings are held.
    await postGroup(gw.url, [{ issue: 'DatabaseDown', severity: 'critical', n: 1 }]);
    const [critical] = await tg.waitForRequests(1, 5000);
    expect(messageText(critical!.body)).toContain('DatabaseDown on checkout-api');
    expect(wecom.requests).toHaveLength(0);
    const pending = await summaryJobs('ops-wecom');
    expect(pending).toHaveLength(1);
    expect(pending[0]!.state).toBe('delayed');

    const [toWecom] = await wecom.waitForRequests(1, 15_000);
    const [, toTelegram] = await tg.waitForRequests(2, 5000);
    const telegram = shownText(toTelegram!.body);
    expect(telegram).toMatch(/^📋 DIGEST · 25 alerts · 3 issues\n/);
    expect(telegram).toContain('🟡 warning 25');
    expect(telegram).toContain('3 still firing');
    // Top issues by count, each with its count and link.
    const lines = telegram.split('\n').filter((line) => line.includes('×'));
    expect(lines).toEqual(['🟡 DiskFilling on checkout-api ×12 · checkout-api', '🟡 HighLatency on checkout-api ×10 · checkout-api', '🟡 CertExpiring on checkout-api ×3 · checkout-api']);
    const links = messageText(toTelegram!.body).match(/href="[^"]+"/g);
    expect(links).toEqual(['href="http://prometheus.example.com:9090/graph?g0.expr=DiskFilling"', 'href="http://prometheus.example.com:9090/graph?g0.expr=HighLatency"', 'href="http://prometheus.example.com:9090/graph?g0.expr=CertExpiring"']);
    const wecomSummary = wecomText(toWecom!.body);
    expect(wecomSummary).toMatch(/^### 📋 DIGEST · 25 alerts · 3 issues/);
    expect(wecomSummary).toContain('🟡 [DiskFilling on checkout-api](http://prometheus.example.com:9090/graph?g0.expr=DiskFilling) ×12');

    await gw.waitForLog(/Alertmanager -> ops-wecom sent "summary \(digest 10s\)" attempt=1 .*digest=25/);
    // One summary each, and its job is done: nothing else is coming.
    const done = await waitFor(async () => {
      const jobs = await summaryJobs('ops-telegram');
      return jobs.length === 1 && jobs[0]!.finishedOn ? jobs : undefined;
    }, 'the Telegram summary job to finish');
    expect(done).toHaveLength(1);
    expect(wecom.requests).toHaveLength(1);
    expect(tg.requests).toHaveLength(2);
  }, 30_000);

  it('when a mute interval is active now, then alerts are held and one summary of them is sent when it ends; a route without mute still sends at once', async () => {
    gw = await startHarness({
      channels: channels(),
      routes: [
        { match: { severity: 'critical' }, channels: ['ops-telegram'] },
        { match: { severity: 'info' }, channels: ['ops-wecom'], mute: ['nights'] },
      ],
      timeIntervals: { nights: [{ times: [{ start_time: '00:00', end_time: '08:00' }] }] },
      // 07:59:54 UTC on the clock: the night ends in 6 s.
    }, 'policy', { now: clockBefore(86_400_000, 16 * 3600_000 + 6_000) });

    await postGroup(gw.url, [...repeats('BackupSlow', 'info', 4), { issue: 'BackupSlow', severity: 'info', n: 50, status: 'resolved' }, ...repeats('QueueLag', 'info', 2)]);
    await postGroup(gw.url, [{ issue: 'DatabaseDown', severity: 'critical', n: 1 }]);
    await tg.waitForRequests(1, 5000);
    expect(wecom.requests).toHaveLength(0);
    await gw.waitForLog(/Alertmanager -> ops-wecom suppressed "BackupSlow on checkout-api" .*reason="muted: in summary [0-9a-f]{32}"/);

    const [held] = await wecom.waitForRequests(1, 15_000);
    const text = wecomText(held!.body);
    expect(text).toMatch(/^### 🌙 HELD IN QUIET HOURS · 7 alerts · 2 issues/);
    expect(text).toContain('1 still firing');
    expect(text).toContain('1 resolved in the period');
    expect(text).toContain('6 firing · 1 resolved');
    expect(text).toMatch(/✅ \[BackupSlow on checkout-api\]\([^)]+\) ×5 · <font color="info">RESOLVED<\/font>/);
  }, 30_000);

  it('when the same alert batch is delivered twice (a sender retry), then the summary counts it once; a repeat of an issue counts again', async () => {
    gw = await startHarness({
      channels: { 'ops-wecom': channels()['ops-wecom'] },
      routes: [{ match: {}, channels: ['ops-wecom'], digest: '10s' }],
    }, 'policy', { now: clockBefore(10_000, 5_000) });
    const batch = repeats('DiskFilling', 'warning', 3);
    await postGroup(gw.url, batch);
    await postGroup(gw.url, batch);
    await postGroup(gw.url, repeats('DiskFilling', 'warning', 1, 10));
    const [summary] = await wecom.waitForRequests(1, 15_000);
    expect(wecomText(summary!.body)).toContain('×4');
    expect(wecomText(summary!.body)).toMatch(/4 alerts · 1 issue\n/);
  }, 30_000);
});

describe('re-planning on restart and config change', () => {
  it('when the gateway restarts mid-period with its routes reordered, then the pending summary is kept, not doubled, and counts the alerts of both runs', async () => {
    const prefix = uniquePrefix('policy-replan');
    const now = clockBefore(10_000, 8_000);
    const warnings = { match: { severity: 'warning' }, channels: ['ops-wecom'], digest: '10s' };
    const first = await startHarness({ channels: channels(), redis: { prefix }, routes: [warnings] }, 'policy', { now });
    await postGroup(first.url, repeats('DiskFilling', 'warning', 5));
    await first.waitForLog(/suppressed "DiskFilling on checkout-api" .*digested/);
    await waitFor(() => first.logs.filter((l) => / suppressed .*digested/.test(l)).length === 5, 'five held alerts');
    await first.gateway.stop();

    // Another route in front: the digest route moved, its policy did not.
    gw = await startHarness({ channels: channels(), redis: { prefix }, routes: [{ match: { severity: 'critical' }, channels: ['ops-telegram'] }, warnings] }, 'policy', { now });
    await postGroup(gw.url, repeats('DiskFilling', 'warning', 3, 100));
    await waitFor(() => gw!.logs.filter((l) => / suppressed .*digested/.test(l)).length === 3, 'three more held alerts');
    expect(await summaryJobs('ops-wecom')).toHaveLength(1);

    const [summary] = await wecom.waitForRequests(1, 15_000);
    expect(wecomText(summary!.body)).toMatch(/^### 📋 DIGEST · 8 alerts · 1 issue\n/);
    await waitFor(async () => (await summaryJobs('ops-wecom'))[0]?.finishedOn, 'the summary job to finish');
    expect(wecom.requests).toHaveLength(1);
  }, 30_000);
});

describe('POST /test {"kind": "digest"}', () => {
  it('when asked for a dry run, then each channel shows the sample summary and the request it would make; without, the summary is sent', async () => {
    gw = await startHarness({ channels: channels() }, 'policy');
    const preview = await fetch(`${gw.url}/test?dryRun=1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'digest' }) });
    expect(preview.status).toBe(200);
    const body = (await preview.json()) as { previews: Array<{ channel: string; message: { text: string }; request: { url: string; body: unknown } }> };
    expect(body.previews.map((p) => p.channel)).toEqual(['ops-telegram', 'ops-wecom']);
    expect(body.previews[1]!.message.text).toMatch(/^### 📋 DIGEST · 530 alerts · 14 issues/);
    expect(JSON.stringify(body.previews[1]!.request)).not.toContain(FAKE_WECOM_KEY);
    expect(tg.requests).toHaveLength(0);

    const sent = await fetch(`${gw.url}/test`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'digest', channel: 'ops-wecom' }) });
    expect(sent.status).toBe(202);
    const [toWecom] = await wecom.waitForRequests(1, 5000);
    expect(wecomText(toWecom!.body)).toContain('SlowQuery: SELECT ＊ FROM orders took 2.3s');
    await gw.waitForLog(/Test -> ops-wecom sent "summary \(test\)" attempt=1 .*digest=530/);
  });

  it('when the kind is unknown, then the answer is 400 naming the field', async () => {
    gw = await startHarness({ channels: channels() }, 'policy');
    const res = await fetch(`${gw.url}/test`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'weekly' }) });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('kind');
  });
});
