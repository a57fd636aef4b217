import { randomBytes } from 'node:crypto';
import type { Channel } from '../../channels/channel';
import { sampleSummary } from '../../policy/sample-summary';
import type { DeliveryQueue } from '../../queue/queues';
import type { Renderer, RenderTarget } from '../../render/render';

export interface TestDigestDeps {
  renderer: Renderer;
  targets: ReadonlyMap<string, RenderTarget>;
  channels: ReadonlyMap<string, Channel>;
  /** The channels' delivery queues: a sample summary takes the same queue, pacing and retries as a real one. */
  queues?: ReadonlyMap<string, DeliveryQueue>;
}

const SAMPLE_PERIOD_MS = 3600_000;

/** POST /test {"kind": "digest"}, dry run: the sample summary as each channel would send it. */
export function previewDigest(deps: TestDigestDeps, names: readonly string[], now: number) {
  const facts = sampleSummary(now, SAMPLE_PERIOD_MS);
  return names.map((name) => {
    const target = deps.targets.get(name)!;
    const message = deps.renderer.renderSummary(facts, target);
    return { channel: name, type: target.type, message, request: deps.channels.get(name)?.preview(message) };
  });
}

/**
 * POST /test {"kind": "digest"}: one sample summary job per channel, its facts already filled in
 * (so it reads no bucket). A fresh id each time: a test is never taken for a repeat.
 */
export async function sendDigestSample(deps: TestDigestDeps, names: readonly string[], now: number): Promise<Array<{ id: string; channel: string }>> {
  const facts = sampleSummary(now, SAMPLE_PERIOD_MS);
  const jobs: Array<{ id: string; channel: string }> = [];
  for (const channel of names) {
    const queue = deps.queues?.get(channel);
    if (!queue) continue;
    const id = randomBytes(16).toString('hex');
    const bucket = `test:${id}`;
    await queue.add(
      'summary',
      {
        kind: 'summary', channel, receivedAt: now,
        event: { source: 'test', status: 'firing', severity: 'warning', title: 'summary (test)', labels: {}, annotations: {}, occurredAt: new Date(now).toISOString(), dedupKey: `summary:${bucket}`, identity: `summary:${bucket}`, extra: {} },
        policy: { bucket, kind: facts.kind, label: 'test', from: facts.from, to: facts.to, facts },
      },
      { jobId: id },
    );
    jobs.push({ id, channel });
  }
  return jobs;
}
