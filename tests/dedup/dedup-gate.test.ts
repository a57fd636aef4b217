import { Redis } from 'ioredis';
import { createDedupGate, type DedupGate } from '../../src/dedup/dedup-gate';
import type { AlertEvent } from '../../src/normalize/event';
import { removeKeys, testRedisUrl, uniquePrefix } from '../support/test-redis';
import { waitFor } from '../support/wait-for';

function event(identity: string, status: AlertEvent['status'] = 'firing', extra: Partial<AlertEvent> = {}): AlertEvent {
  return {
    source: 'sentry', status, severity: 'error', title: 'KeyError in checkout', labels: {}, annotations: {},
    occurredAt: '2026-11-22T10:00:00.000Z', dedupKey: 'sentry:4211', identity, extra: {}, ...extra,
  };
}

/** Each notification's delivery job id, as the intake worker would pass it. */
const admitTo = (gate: DedupGate, channel: string, e: AlertEvent) => gate.admit(channel, e, `job-${channel}-${e.identity}`);

describe('per-issue dedup gate (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let gate: DedupGate;

  beforeEach(() => {
    redis = new Redis(testRedisUrl());
    prefix = uniquePrefix('dedup');
    gate = createDedupGate(redis, { prefix, windowMs: 60_000 });
  });
  afterEach(async () => {
    redis.disconnect();
    await removeKeys(prefix);
  });

  it('when the same issue repeats in the window, then only the first passes and repeats are counted once per notification', async () => {
    const first = await admitTo(gate, 'ops', event('e1'));
    const second = await admitTo(gate, 'ops', event('e2', 'firing', { userCount: 3 }));
    const third = await admitTo(gate, 'ops', event('e3', 'firing', { userCount: 12 }));
    const secondAgain = await admitTo(gate, 'ops', event('e2'));
    expect(first.kind).toBe('pass');
    expect(second).toMatchObject({ kind: 'suppressed', repeats: 1, firstRepeat: true, windowId: first.windowId, opener: 'e1' });
    expect(third).toMatchObject({ kind: 'suppressed', repeats: 2, firstRepeat: false });
    expect(secondAgain).toMatchObject({ kind: 'suppressed', repeats: 2, firstRepeat: false });
    expect(await gate.takeSummary('ops', 'sentry:4211', first.windowId)).toEqual({ repeats: 2, users: 12 });
    // Taken means cleared: a second digest for the same window would report nothing.
    expect(await gate.takeSummary('ops', 'sentry:4211', first.windowId)).toEqual({ repeats: 0 });
  });

  it('when the opener itself comes again (a retried intake job), then it passes again', async () => {
    const first = await admitTo(gate, 'ops', event('e1'));
    // With the job id it was given, even when the retry computes another: the same job is added, which BullMQ ignores.
    expect(await gate.admit('ops', event('e1'), 'another-id')).toMatchObject({ kind: 'pass', windowId: first.windowId, jobId: 'job-ops-e1' });
  });

  it('when the status changes, then firing, resolved and firing again all pass', async () => {
    const decisions = [];
    for (const [id, status] of [['f1', 'firing'], ['f2', 'firing'], ['r1', 'resolved'], ['f3', 'firing']] as const) {
      decisions.push((await admitTo(gate, 'ops', event(id, status))).kind);
    }
    expect(decisions).toEqual(['pass', 'suppressed', 'pass', 'pass']);
  });

  it('when a status change opens a window, then it names the previous window\'s opener, so its message can wait for that one', async () => {
    const firing = await admitTo(gate, 'ops', event('f1', 'firing'));
    const resolved = await admitTo(gate, 'ops', event('r1', 'resolved'));
    expect(firing).not.toHaveProperty('previousOpener');
    expect(resolved).toMatchObject({ kind: 'pass', previousOpener: 'f1', previousOpenerJob: 'job-ops-f1', jobId: 'job-ops-r1' });
  });

  it('when channels differ, then each channel gets its own first message', async () => {
    expect((await admitTo(gate, 'ops', event('e1'))).kind).toBe('pass');
    expect((await admitTo(gate, 'oncall', event('e1'))).kind).toBe('pass');
    expect((await admitTo(gate, 'oncall', event('e2'))).kind).toBe('suppressed');
  });

  it('when the window has closed, then the next event opens a new one', async () => {
    const short = createDedupGate(redis, { prefix, windowMs: 150 });
    const first = await admitTo(short, 'ops', event('e1'));
    expect((await admitTo(short, 'ops', event('e2'))).kind).toBe('suppressed');
    const next = await waitFor(async () => {
      const decision = await admitTo(short, 'ops', event(`late-${Date.now()}`));
      return decision.kind === 'pass' ? decision : undefined;
    }, 'a new window after 150 ms', 3000);
    expect(next.windowId).not.toBe(first.windowId);
  });

  it('when concurrent workers admit 200 repeats at once, then exactly one passes', async () => {
    const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => admitTo(gate, 'ops', event(`burst-${i}`))));
    expect(decisions.filter((d) => d.kind === 'pass')).toHaveLength(1);
    expect(decisions.filter((d) => d.kind === 'suppressed' && d.firstRepeat)).toHaveLength(1);
    const { windowId } = decisions.find((d) => d.kind === 'pass')!;
    expect(await gate.takeSummary('ops', 'sentry:4211', windowId)).toEqual({ repeats: 199 });
  });

  it('when the window is 0, then dedup is off and everything passes', async () => {
    const off = createDedupGate(redis, { prefix, windowMs: 0 });
    const kinds = await Promise.all(['a', 'b', 'c'].map(async (id) => (await admitTo(off, 'ops', event(id))).kind));
    expect(kinds).toEqual(['pass', 'pass', 'pass']);
  });
});
