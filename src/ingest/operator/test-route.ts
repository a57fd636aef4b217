import { Router } from 'express';
import { z } from 'zod';
import type { Channel } from '../../channels/channel';
import { parseAlertmanager } from '../../normalize/alertmanager';
import { describeZodError } from '../../normalize/parse-result';
import { parseSentry } from '../../normalize/sentry';
import type { Renderer, RenderTarget } from '../../render/render';
import { matchRoutes } from '../../route/match-routes';
import { sendAcceptResult } from '../accept-answer';
import { acceptEvents, type IngestDeps } from '../accept-events';
import { HttpError } from '../http-error';
import { jsonBody } from '../body/json-body';
import { sampleAlertmanagerPayload, sampleSentryEventAlert } from './samples';
import { previewDigest, sendDigestSample, type TestDigestDeps } from './test-digest';

const testRequestSchema = z
  .object({ source: z.enum(['sentry', 'alertmanager']).default('sentry'), channel: z.string().optional(), kind: z.enum(['alert', 'digest']).default('alert') })
  .strict();

export interface TestRouteDeps extends IngestDeps, Pick<TestDigestDeps, 'queues'> {
  renderer: Renderer;
  targets: ReadonlyMap<string, RenderTarget>;
  /** For dry runs: each channel shows the exact request it would make, secrets masked. */
  channels: ReadonlyMap<string, Channel>;
}

/** POST /test: a realistic sample through the whole pipeline; ?dryRun=1 renders without sending. */
export function testRoute(deps: TestRouteDeps): Router {
  const router = Router();
  router.post('/test', ...jsonBody(64 * 1024, { optional: true }), async (req, res) => {
    const request = testRequestSchema.safeParse(req.body ?? {});
    if (!request.success) throw new HttpError(400, 'invalid_request', describeZodError(request.error));
    const { source, channel, kind } = request.data;
    if (channel !== undefined && !deps.targets.has(channel)) {
      throw new HttpError(400, 'unknown_channel', `no channel named "${channel}"; configured: ${[...deps.targets.keys()].join(', ')}`);
    }
    const now = new Date();
    const dryRun = req.query.dryRun === '1' || req.query.dryRun === 'true';
    if (kind === 'digest') {
      // A sample summary (README, "Notification policy") for the named channel, or every channel.
      const names = channel ? [channel] : [...deps.targets.keys()];
      if (dryRun) res.json({ dryRun: true, kind, previews: previewDigest(deps, names, now.getTime()) });
      else res.status(202).json({ accepted: 1, jobs: await sendDigestSample(deps, names, now.getTime()) });
      return;
    }
    const parsed = source === 'alertmanager' ? parseAlertmanager(sampleAlertmanagerPayload(now)) : parseSentry('event_alert', sampleSentryEventAlert(now));
    if (parsed.kind !== 'events') throw new Error(`the built-in ${source} sample did not parse: ${JSON.stringify(parsed)}`);

    if (req.query.dryRun === '1' || req.query.dryRun === 'true') {
      const previews = parsed.events.flatMap((event) =>
        (channel ? [channel] : matchRoutes(event, deps.routes)).map((name) => {
          const target = deps.targets.get(name)!;
          const message = deps.renderer.render(event, target);
          return { channel: name, type: target.type, message: { title: message.title, text: message.text, mentions: message.mentions }, request: deps.channels.get(name)?.preview(message) };
        }),
      );
      res.json({ dryRun: true, source, previews });
      return;
    }
    sendAcceptResult(res, await acceptEvents(deps, parsed.events, { receivedAt: now.getTime(), onlyChannel: channel }));
  });
  return router;
}
