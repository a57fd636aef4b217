import { randomBytes } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { HistoryRecorder } from '../../../../history/history';
import { EVENT_ID } from '../../../../history/event-id';
import type { HistoryPage, HistoryReader } from '../../../../history/reader';
import { retryFailedDelivery } from '../../../../queue/lookups/dead-letters';
import type { DeliveryQueue } from '../../../../queue/queues';
import { HttpError } from '../../../http-error';
import type { TestRouteDeps } from '../../test-route';
import { parseEventsQuery } from '../events-query';
import { unavailableAs503 } from '../events-route';
import { EVENT_PAGE_SCRIPT, eventPage } from './event-page';
import type { SafeHtml } from './html';
import { page } from './layout';
import { listPage } from './list-page';
import { renderPreview, type PreviewRequest } from './preview';
import { previewPage } from './preview-page';

export interface UiDeps {
  reader?: HistoryReader;
  recorder: HistoryRecorder;
  channels: readonly string[];
  queues: ReadonlyMap<string, DeliveryQueue>;
  ingest?: TestRouteDeps;
}

/** What a cross-site page cannot send: a custom header (it would need a CORS preflight, which is never allowed). */
const UI_HEADER = 'x-gateway-ui';

/**
 * The web page under /ui (README, "History and the web page"): server-rendered, every value
 * escaped, no external asset; the caller guards it. Its one state-changing request, resend, is a
 * same-origin fetch with a custom header.
 */
export function uiRoute(deps: UiDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = stringQuery(req);
    let result: HistoryPage | { error: string };
    try {
      result = await reader(deps).list(parseEventsQuery(query, deps.channels));
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 400) throw err;
      result = { error: err.message };
    }
    send(res, 'Alerts', listPage(query, deps.channels, result));
  });

  router.get('/events/:id', async (req, res) => {
    const id = String(req.params.id);
    const event = EVENT_ID.test(id) ? await reader(deps).get(id) : undefined;
    if (!event) throw new HttpError(404, 'not_found', 'no alert with this id; records are kept for history.retention, at most history.maxEvents');
    send(res, event.title.slice(0, 80), eventPage(event), EVENT_PAGE_SCRIPT);
  });

  router.post('/events/:id/resend', sameOrigin, express.json({ limit: '4kb' }), async (req, res) => {
    const id = String(req.params.id);
    const channel = (req.body as { channel?: unknown } | undefined)?.channel;
    const event = EVENT_ID.test(id) ? await reader(deps).get(id) : undefined;
    const delivery = event?.deliveries.find((d) => d.channel === channel);
    if (!event || !delivery) throw new HttpError(404, 'not_found', 'no such alert or channel');
    if (delivery.outcome !== 'failed' || !delivery.jobId) throw new HttpError(409, 'not_failed', `the delivery to ${delivery.channel} is ${delivery.outcome}, not failed: only a failed delivery can be resent`);
    const outcome = await retryFailedDelivery(deps.queues, delivery.jobId);
    if (outcome.kind === 'notFound') throw new HttpError(404, 'not_found', `delivery ${delivery.jobId} is no longer in the queue (failed jobs are kept 14 days)`);
    if (outcome.kind === 'notFailed') throw new HttpError(409, 'not_failed', `delivery ${outcome.id} is ${outcome.status}, not failed`);
    await deps.recorder.recordOutcome(id, delivery.channel, { outcome: 'retrying', jobId: delivery.jobId, detail: 'resent from the web page' });
    res.status(202).json({ id: outcome.id, channel: outcome.channel, status: outcome.status });
  });

  router.get('/preview', (_req, res) => {
    send(res, 'Template preview', previewPage(deps.channels));
  });

  router.post('/preview', sameOrigin, express.urlencoded({ extended: false, limit: '512kb', parameterLimit: 100 }), (req, res) => {
    if (!deps.ingest) throw new HttpError(404, 'not_available', 'this process (ROLE=worker) renders no previews');
    const request = previewRequest(req.body as Record<string, unknown>, deps.channels);
    send(res, 'Template preview', previewPage(deps.channels, request, renderPreview(request, deps.ingest.renderer, deps.ingest.targets)));
  });

  return router;
}

function reader(deps: UiDeps): HistoryReader {
  if (!deps.reader) throw new HttpError(404, 'history_off', 'the alert history is turned off (history: false in the configuration)');
  return unavailableAs503(deps.reader);
}

function send(res: Response, title: string, body: SafeHtml, script?: string): void {
  const nonce = randomBytes(16).toString('base64');
  res
    .status(200)
    .set({
      'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
      'X-Content-Type-Options': 'nosniff',
      // Not no-referrer: with it Chromium sends "Origin: null" on the page's own form posts, which the origin check refuses.
      'Referrer-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    })
    .type('html')
    .send(page(title, nonce, body, script).value);
}

/** Refuses a POST another site made the browser send: it has no custom header, or says it comes from elsewhere. */
function sameOrigin(req: Request, _res: Response, next: (err?: unknown) => void): void {
  const origin = req.get('origin');
  const host = req.get('host');
  if (origin !== undefined && (host === undefined || !sameHost(origin, host))) return next(new HttpError(403, 'cross_origin', 'this request must come from the gateway\'s own page'));
  // Forms cannot set headers; the preview form is accepted on a matching Origin alone (it changes nothing).
  if (req.path.endsWith('/resend') && req.get(UI_HEADER) !== 'resend') return next(new HttpError(403, 'cross_origin', `resend needs the ${UI_HEADER} header the gateway's page sends`));
  if (origin === undefined && !req.path.endsWith('/resend')) return next(new HttpError(403, 'cross_origin', 'the preview form must be sent by a browser from the gateway\'s own page'));
  next();
}

function sameHost(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function stringQuery(req: Request): Record<string, string> {
  // The form sends every field; an empty one is no filter.
  return Object.fromEntries(Object.entries(req.query).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
}

function previewRequest(body: Record<string, unknown>, channels: readonly string[]): PreviewRequest {
  const one = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const chosen = Array.isArray(body.channel) ? body.channel : body.channel === undefined ? [] : [body.channel];
  return {
    input: one(body.input) ?? 'sample:sentry',
    source: body.source === 'alertmanager' ? 'alertmanager' : 'sentry',
    resource: one(body.resource),
    payload: one(body.payload),
    channels: chosen.filter((name): name is string => typeof name === 'string' && channels.includes(name)),
  };
}
