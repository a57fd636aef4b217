/**
 * A Sentry event_alert body at the heavy end of what real projects produce, built from the
 * documented event shape (docs/payloads.md §1.6) and the Python SDK's defaults: three chained
 * exceptions, `frames` frames each with 5 lines of context around the crashing line and local
 * variables, 100 breadcrumbs (max_breadcrumbs), request headers and body, contexts and the list
 * of installed modules. Used to measure what the body limit must admit.
 */
export interface HeavyEventOptions {
  framesPerException?: number;
  breadcrumbs?: number;
  /** Characters per local variable value; the SDK cuts values at 1024 (max_value_length). */
  varLength?: number;
}

export function heavySentryEventAlert(options: HeavyEventOptions = {}): object {
  const frames = options.framesPerException ?? 60;
  const varLength = options.varLength ?? 200;
  const code = (i: number) => `        result = self._apply_rule(cart, rule_${i}, context=ctx)  # line ${i}`;
  const frame = (e: number, i: number) => ({
    filename: `orders/services/pricing_${e}_${i}.py`,
    abs_path: `/srv/app/orders/services/pricing_${e}_${i}.py`,
    module: `orders.services.pricing_${e}_${i}`,
    function: `apply_rule_${i}`,
    lineno: 100 + i,
    pre_context: [1, 2, 3, 4, 5].map((k) => code(i - k)),
    context_line: code(i),
    post_context: [1, 2, 3, 4, 5].map((k) => code(i + k)),
    in_app: i % 3 !== 0,
    vars: Object.fromEntries(Array.from({ length: 10 }, (_, v) => [`var_${v}`, `'${'x'.repeat(varLength)}'`])),
    data: { orig_in_app: -1 },
    colno: null,
    instruction_addr: null,
  });
  const exception = (e: number) => ({
    type: ['OperationalError', 'IntegrityError', 'PricingError'][e],
    value: `failure ${e} while pricing cart 7731-A: ${'detail '.repeat(30)}`,
    module: 'orders.errors',
    mechanism: { type: e === 0 ? 'chained' : 'django', handled: false, exception_id: e, parent_id: e > 0 ? e - 1 : null },
    stacktrace: { frames: Array.from({ length: frames }, (_, i) => frame(e, i)) },
  });
  const breadcrumb = (i: number) => ({
    timestamp: 1763458900.123 + i,
    type: 'default',
    category: i % 2 ? 'query' : 'httplib',
    level: 'info',
    message: `SELECT "orders_cartline"."id", "orders_cartline"."sku", "orders_cartline"."qty" FROM "orders_cartline" WHERE "orders_cartline"."cart_id" = ${i}`,
    data: i % 2 ? {} : { url: `https://pricing.internal/api/v2/rules/${i}`, method: 'GET', status_code: 200, reason: 'OK' },
  });
  return {
    action: 'triggered',
    installation: { uuid: 'b3e1d7a2-5c4f-4a9b-8e2d-6f0a1c9b7e35' },
    data: {
      event: {
        event_id: '9f2c4b1e7a3d4c5b8e6f0a1b2c3d4e5f',
        project: 4507718233915392,
        release: 'orders-api@2025.11.18+3f9e2c1',
        dist: null,
        platform: 'python',
        message: '',
        datetime: '2025-11-18T09:41:40.731000Z',
        tags: Array.from({ length: 25 }, (_, i) => [`tag_${i}`, `value-${i}`]),
        breadcrumbs: { values: Array.from({ length: options.breadcrumbs ?? 100 }, (_, i) => breadcrumb(i)) },
        contexts: {
          os: { name: 'Linux', version: '6.1.0-27-amd64', type: 'os' },
          runtime: { name: 'CPython', version: '3.12.7', build: '3.12.7 (main, Oct 19 2024) [GCC 12.2.0]', type: 'runtime' },
          trace: { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16), op: 'http.server', status: 'internal_error', type: 'trace' },
        },
        culprit: 'orders.services.pricing in apply_rule',
        environment: 'production',
        exception: { values: [0, 1, 2].map(exception) },
        extra: { 'sys.argv': ['/srv/app/.venv/bin/gunicorn', 'orders.wsgi', '--workers', '8'] },
        fingerprint: ['{{ default }}'],
        level: 'error',
        logger: '',
        metadata: { type: 'PricingError', value: 'failure 2 while pricing cart 7731-A', filename: 'orders/services/pricing_2_59.py', function: 'apply_rule_59' },
        modules: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`package-${i}`, `${i % 7}.${i % 13}.${i % 5}`])),
        request: {
          url: 'https://orders.example.com/api/v1/checkout',
          method: 'POST',
          headers: Array.from({ length: 20 }, (_, i) => [`X-Header-${i}`, `value ${'h'.repeat(40)}`]),
          data: { cart: Array.from({ length: 20 }, (_, i) => ({ sku: `KM-${2000 + i}`, qty: i + 1, price: '19.90' })) },
          env: { SERVER_NAME: 'orders-api-7d9c8b6f5-x2kqp', SERVER_PORT: '8000' },
        },
        sdk: { name: 'sentry.python.django', version: '2.19.2', integrations: Array.from({ length: 25 }, (_, i) => `integration_${i}`) },
        timestamp: 1763458900.731,
        title: 'PricingError: failure 2 while pricing cart 7731-A',
        type: 'error',
        user: { id: '71234', email: 'customer@example.com', ip_address: '203.0.113.9', geo: { country_code: 'DE', city: 'Köln' } },
        url: 'https://sentry.io/api/0/projects/lumen-retail/orders-api/events/9f2c4b1e7a3d4c5b8e6f0a1b2c3d4e5f/',
        web_url: 'https://sentry.io/organizations/lumen-retail/issues/6089314527/events/9f2c4b1e7a3d4c5b8e6f0a1b2c3d4e5f/',
        issue_url: 'https://sentry.io/api/0/organizations/lumen-retail/issues/6089314527/',
        issue_id: '6089314527',
      },
      triggered_rule: 'Checkout errors',
    },
    actor: { type: 'application', id: 'sentry', name: 'Sentry' },
  };
}

/** The body as Sentry puts it on the wire: compact, every non-ASCII character as \uXXXX (simplejson ensure_ascii). */
export function sentryWireJson(body: unknown): string {
  return JSON.stringify(body).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
