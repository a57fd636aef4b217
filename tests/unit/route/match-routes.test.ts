import { configSchema } from '../../../src/config/schema';
import type { AlertEvent } from '../../../src/normalize/event';
import { compileRoutes, matchRoutes } from '../../../src/route/match-routes';

function event(overrides: Partial<AlertEvent>): AlertEvent {
  return {
    source: 'alertmanager', status: 'firing', severity: 'warning', title: 'DiskFull', labels: {}, annotations: {},
    occurredAt: '2026-11-22T10:00:00Z', dedupKey: 'k', identity: 'i', extra: {}, ...overrides,
  };
}

function routesFor(routes: unknown[]) {
  const config = configSchema.parse({
    channels: { tg: { type: 'console' }, db: { type: 'console' }, all: { type: 'console' } },
    routes,
  });
  return compileRoutes(config.routes, Object.keys(config.channels));
}

describe('matchRoutes', () => {
  it('when no routes are configured, then every channel gets every event', () => {
    expect(matchRoutes(event({}), compileRoutes(undefined, ['a', 'b']))).toEqual(['a', 'b']);
  });

  it('when source and a severity list are given, then only matching events are routed', () => {
    const routes = routesFor([{ match: { source: 'sentry', severity: ['critical', 'error'] }, channels: ['tg'] }]);
    expect(matchRoutes(event({ source: 'sentry', severity: 'error' }), routes)).toEqual(['tg']);
    expect(matchRoutes(event({ source: 'sentry', severity: 'warning' }), routes)).toEqual([]);
    expect(matchRoutes(event({ source: 'alertmanager', severity: 'error' }), routes)).toEqual([]);
  });

  it('when labels use exact values and =~ regexes, then both must match, anchored', () => {
    const routes = routesFor([{ match: { labels: { team: 'db', severity: '=~critical|warning' } }, channels: ['db'] }]);
    expect(matchRoutes(event({ labels: { team: 'db', severity: 'warning' } }), routes)).toEqual(['db']);
    expect(matchRoutes(event({ labels: { team: 'db', severity: 'warningish' } }), routes)).toEqual([]);
    expect(matchRoutes(event({ labels: { team: 'dba', severity: 'critical' } }), routes)).toEqual([]);
    expect(matchRoutes(event({ labels: { severity: 'critical' } }), routes)).toEqual([]);
  });

  it('when project and environment are matched, then events without them do not match', () => {
    const routes = routesFor([{ match: { project: '=~checkout-.*', environment: 'production' }, channels: ['tg'] }]);
    expect(matchRoutes(event({ project: 'checkout-api', environment: 'production' }), routes)).toEqual(['tg']);
    expect(matchRoutes(event({ project: 'checkout-api' }), routes)).toEqual([]);
    expect(matchRoutes(event({ project: 'billing', environment: 'production' }), routes)).toEqual([]);
  });

  it('when several routes match, then each adds its channels once, in order', () => {
    const routes = routesFor([
      { match: { severity: 'critical' }, channels: ['tg', 'db'] },
      { match: {}, channels: ['all', 'tg'] },
    ]);
    expect(matchRoutes(event({ severity: 'critical' }), routes)).toEqual(['tg', 'db', 'all']);
    expect(matchRoutes(event({ severity: 'info' }), routes)).toEqual(['all', 'tg']);
  });
});
