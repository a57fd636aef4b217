import { Router, type Request } from 'express';
import { EVENT_ID } from '../../../history/event-id';
import type { HistoryReader } from '../../../history/reader';
import { HttpError } from '../../http-error';
import { parseEventsQuery } from './events-query';

export interface EventsRouteDeps {
  /** Undefined when `history: false`: every history route then says so. */
  reader?: HistoryReader;
  channels: readonly string[];
}

/**
 * GET /events, /events/latest, /events/{id} and their Sentry-only twins /errors, /errors/latest,
 * /errors/{id}, as error-collector users know them (README, "History and the web page").
 * The caller puts the auth guard in front.
 */
export function eventsRoute(deps: EventsRouteDeps): Router {
  const router = Router();
  for (const [base, source] of [['/events', undefined], ['/errors', 'sentry']] as const) {
    const queryOf = (req: Request, limit?: number) => {
      const raw = req.query as Record<string, unknown>;
      // /errors is the Sentry events: a source filter there would contradict its name.
      if (source && raw.source !== undefined) throw new HttpError(400, 'invalid_query', `source: ${base} shows Sentry events only; use /events?source=...`);
      const query = parseEventsQuery(raw, deps.channels);
      return { ...query, ...(source && { source }), ...(limit !== undefined && { limit, cursor: undefined }) };
    };
    router.get(base, async (req, res) => {
      res.json(await readerOf(deps).list(queryOf(req)));
    });
    router.get(`${base}/latest`, async (req, res) => {
      const page = await readerOf(deps).list(queryOf(req, 1));
      const latest = page.events[0];
      if (!latest) throw new HttpError(404, 'not_found', `no ${source ? 'Sentry event' : 'event'} recorded${Object.keys(req.query).length > 0 ? ' that matches these filters' : ''}`);
      // The whole record, timeline included, as /events/{id} shows it.
      res.json((await readerOf(deps).get(latest.id)) ?? latest);
    });
    router.get(`${base}/:id`, async (req, res) => {
      const id = String(req.params.id);
      const record = EVENT_ID.test(id) ? await readerOf(deps).get(id) : undefined;
      if (!record || (source && record.source !== source)) {
        throw new HttpError(404, 'not_found', `no ${source ? 'Sentry event' : 'event'} with id ${JSON.stringify(id.slice(0, 64))}; records are kept for history.retention (7 days by default), at most history.maxEvents`);
      }
      res.json(record);
    });
  }
  return router;
}

function readerOf(deps: EventsRouteDeps): HistoryReader {
  if (!deps.reader) throw new HttpError(404, 'history_off', 'the alert history is turned off (history: false in the configuration)');
  return unavailableAs503(deps.reader);
}

/** A Redis that does not answer is an outage to retry, not a bug of the gateway (a 500). */
export function unavailableAs503(reader: HistoryReader): HistoryReader {
  const answer = (err: unknown): never => {
    throw new HttpError(503, 'history_unavailable', `the history cannot be read now (Redis: ${(err as Error).message}); try again`);
  };
  return {
    list: (query) => reader.list(query).catch(answer),
    get: (id) => reader.get(id).catch(answer),
  };
}
