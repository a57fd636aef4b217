import { setImmediate } from 'node:timers/promises';
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

  // A backtracking engine takes ~20 s (and doubles per character) on this pattern and label;
  // RE2, as Alertmanager uses, answers in linear time. The jest timeout is the guard, not a clock:
  // the matching is synchronous, so the test yields once afterwards to let an expired timeout fire.
  it('when an operator regex backtracks catastrophically, then matching still answers, correctly and anchored', async () => {
    const routes = routesFor([{ match: { labels: { instance: '=~([a-zA-Z]+\\s?)+' } }, channels: ['tg'] }]);
    const hostile = `${'a'.repeat(28)}!`;
    expect(matchRoutes(event({ labels: { instance: hostile } }), routes)).toEqual([]);
    expect(matchRoutes(event({ labels: { instance: 'db one two' } }), routes)).toEqual(['tg']);
    expect(matchRoutes(event({ labels: { instance: 'db one 2' } }), routes)).toEqual([]);
    await setImmediate();
  }, 5000);

  it('when a regex uses syntax RE2 (and so Alertmanager) refuses, then the config is refused at load', () => {
    const parsed = configSchema.safeParse({ channels: { tg: { type: 'console' } }, routes: [{ match: { labels: { team: '=~(?=db)db' } }, channels: ['tg'] }] });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('RE2');
  });
});
