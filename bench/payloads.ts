import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A webhook as a sender posts it; `body(n)` differs for every n, so no request is a sender's retry of another. */
export interface BenchPayload {
  name: string;
  path: string;
  headers: Record<string, string>;
  body(n: number): string;
  /** The size of one body, in bytes. */
  bytes: number;
}

const N_HEX = '@@N_HEX@@';
const N_DEC = '@@N_DEC@@';

/**
 * An Alertmanager group of five firing alerts (the fixture's three, two more pods), as one
 * evaluation of a latency rule across a deployment sends it. Every request carries new
 * fingerprints: five new alerts, not a repeat notification of the same five.
 */
export function alertmanagerGroup(repoRoot: string): BenchPayload {
  const group = fixture(repoRoot, 'alertmanager-firing.json') as { alerts: Array<Record<string, unknown>>; groupKey?: string };
  const [first, ...rest] = group.alerts;
  if (!first) throw new Error('alertmanager-firing.json has no alerts');
  group.alerts = [0, 1, 2, 3, 4].map((i) => {
    const alert = structuredClone(group.alerts[i] ?? first) as { labels: Record<string, string>; fingerprint: string };
    if (i >= rest.length + 1) alert.labels = { ...alert.labels, instance: `10.20.5.${i}:8080`, pod: `orders-api-7d9c8b6f5-bench${i}` };
    alert.fingerprint = `${N_HEX}a${i}`;
    return alert;
  });
  group.groupKey = `{}:{alertname="HighRequestLatency", bench="${N_DEC}"}`;
  return fromTemplate('alertmanager, 5-alert group', '/webhook/alertmanager', {}, JSON.stringify(group), 14);
}

/**
 * A Sentry `event_alert` of about 30 KB: the fixture's chained Python exception with source
 * context and local variables in every frame, plus the breadcrumbs an SDK attaches (HTTP calls,
 * SQL, log lines). Each request is a new event of a new issue.
 */
export function sentryEventAlert(repoRoot: string, targetBytes = 30 * 1024): BenchPayload {
  const body = fixture(repoRoot, 'sentry-event-alert.json') as { data: { event: Record<string, unknown> } };
  const event = body.data.event;
  event.event_id = `0000000000000000${N_HEX}`;
  event.issue_id = `7${N_DEC}`;
  withSourceContext(event);
  const crumbs: unknown[] = [];
  event.breadcrumbs = { values: crumbs };
  for (let i = 0; JSON.stringify(body).length < targetBytes; i += 1) crumbs.push(breadcrumb(i));
  return fromTemplate('sentry, 30 KB event_alert', '/webhook/sentry', { 'Sentry-Hook-Resource': 'event_alert' }, JSON.stringify(body), 16);
}

function fixture(repoRoot: string, name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(repoRoot, 'tests', 'fixtures', name), 'utf8')) as Record<string, unknown>;
}

/** Splits the template once, so building a body per request is a few string joins, not JSON work in the load generator. */
function fromTemplate(name: string, path: string, headers: Record<string, string>, template: string, hexDigits: number): BenchPayload {
  const parts = template.split(/(@@N_HEX@@|@@N_DEC@@)/);
  const body = (n: number) => {
    const hex = n.toString(16).padStart(hexDigits, '0');
    const dec = String(1_000_000_000 + n);
    return parts.map((part) => (part === N_HEX ? hex : part === N_DEC ? dec : part)).join('');
  };
  return { name, path, headers: { 'Content-Type': 'application/json', ...headers }, body, bytes: Buffer.byteLength(body(0)) };
}

interface Frame {
  lineno?: number | null;
  context_line?: string | null;
  pre_context?: string[];
  post_context?: string[];
  vars?: Record<string, unknown>;
}

/** What the Python SDK sends for in-app frames: five lines either side and the frame's locals. */
function withSourceContext(event: Record<string, unknown>): void {
  const exception = event.exception as { values?: Array<{ stacktrace?: { frames?: Frame[] } }> } | undefined;
  for (const value of exception?.values ?? []) {
    for (const frame of value.stacktrace?.frames ?? []) {
      const line = frame.lineno ?? 1;
      frame.pre_context = [1, 2, 3, 4, 5].map((d) => `    # line ${line - 6 + d}: total = sum(item.price * item.quantity for item in cart.lines.all())`);
      frame.post_context = [1, 2, 3, 4, 5].map((d) => `    # line ${line + d}: logger.info("priced cart %s with coupon %s", cart.id, coupon)`);
      frame.vars = {
        cart: "<Cart: Cart object (184467) lines=3 owner='ivan.petrov@example.com'>",
        coupon: "'ЗИМА25'",
        line: "{'qty': 2, 'price': Decimal('1499.00'), 'title': 'Куртка зимняя', 'variant': 'KM-2048-L'}",
        request: '<WSGIRequest: POST /api/v2/orders/checkout>',
        self: '<orders.pricing.PriceCalculator object at 0x7f3a9c2b1e50>',
      };
    }
  }
}

function breadcrumb(i: number): Record<string, unknown> {
  const timestamp = 1763459927.312 - (200 - i) * 0.137;
  switch (i % 3) {
    case 0:
      return { timestamp, type: 'http', category: 'httplib', level: 'info', data: { method: 'GET', url: `https://inventory.internal/api/v2/sku/KM-${2000 + i}/stock?warehouse=msk-3`, status_code: 200, reason: 'OK' } };
    case 1:
      return {
        timestamp,
        type: 'default',
        category: 'query',
        level: 'info',
        message: `SELECT "orders_line"."id", "orders_line"."cart_id", "orders_line"."sku", "orders_line"."qty", "orders_line"."price" FROM "orders_line" WHERE "orders_line"."cart_id" = ${184400 + i}`,
        data: { 'db.system': 'postgresql', duration_ms: 1.8 + (i % 7) / 10 },
      };
    default:
      return { timestamp, type: 'log', category: 'orders.pricing', level: i % 9 === 2 ? 'warning' : 'info', message: `applying discount rules to cart ${184400 + i}: 3 lines, coupon ЗИМА25` };
  }
}

/** A probe alert whose message names it: "latency probe N" appears in the chat text. */
export const PROBE_MARKER = /latency probe (\d+)\b/;

/**
 * Single alerts for the latency benchmark, alternating sources: odd n a Sentry event_alert (the
 * fixture as Sentry sends it), even n an Alertmanager group of one firing alert. Each is a new
 * issue, so dedup lets every one through.
 */
export interface ProbeRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export function latencyProbe(repoRoot: string): (n: number) => ProbeRequest {
  const sentry = fixture(repoRoot, 'sentry-event-alert.json') as { data: { event: Record<string, unknown> } };
  const am = fixture(repoRoot, 'alertmanager-firing.json') as { alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string>; fingerprint: string }> };
  am.alerts = am.alerts.slice(0, 1);
  return (n): ProbeRequest => {
    if (n % 2 === 1) {
      const event = sentry.data.event;
      event.event_id = n.toString(16).padStart(32, '0');
      event.issue_id = String(8_000_000_000 + n);
      event.title = `ProbeError: latency probe ${n}`;
      return { path: '/webhook/sentry', headers: { 'Sentry-Hook-Resource': 'event_alert' }, body: JSON.stringify(sentry) };
    }
    const alert = am.alerts[0]!;
    alert.fingerprint = n.toString(16).padStart(16, '0');
    alert.annotations.summary = `latency probe ${n}`;
    return { path: '/webhook/alertmanager', headers: {}, body: JSON.stringify(am) };
  };
}
