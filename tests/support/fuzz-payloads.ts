import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

/** One request the fuzzer sends: raw bytes and headers, as a hostile or broken sender would. */
export interface FuzzRequest {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

interface Seed {
  path: string;
  resource?: string;
  value: unknown;
  text: string;
}

const FIXTURES: readonly [string, string, string | undefined][] = [
  ['alertmanager-firing.json', '/webhook/alertmanager', undefined],
  ['alertmanager-mixed.json', '/webhook/alertmanager', undefined],
  ['alertmanager-resolved.json', '/webhook/alertmanager', undefined],
  ['sentry-issue-created.json', '/webhook/sentry', 'issue'],
  ['sentry-issue-resolved.json', '/webhook/sentry', 'issue'],
  ['sentry-issue-assigned.json', '/webhook/sentry', 'issue'],
  ['sentry-event-alert.json', '/webhook/sentry', 'event_alert'],
  ['sentry-event-alert-minimal.json', '/webhook/sentry', 'event_alert'],
  ['sentry-event-alert-message-only.json', '/webhook/sentry', 'event_alert'],
  ['sentry-event-alert-js-no-culprit-no-level.json', '/webhook/sentry', 'event_alert'],
  ['sentry-error-created.json', '/webhook/sentry', 'error'],
  ['sentry-metric-alert-critical.json', '/webhook/sentry', 'metric_alert'],
  ['sentry-metric-alert-resolved.json', '/webhook/sentry', 'metric_alert'],
  ['sentry-installation.json', '/webhook/sentry', 'installation'],
  ['sentry-comment-created.json', '/webhook/sentry', 'comment'],
  ['sentry-legacy-plugin.json', '/webhook/sentry', undefined],
  ['glitchtip-issue-4x.json', '/webhook/sentry', undefined],
  ['glitchtip-issues-5x.json', '/webhook/sentry', undefined],
  ['glitchtip-uptime-down.json', '/webhook/sentry', undefined],
];

const SEEDS: readonly Seed[] = FIXTURES.map(([name, path, resource]) => {
  const text = readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
  return { path, resource, value: JSON.parse(text) as unknown, text };
});

const ROUTES = ['/webhook/sentry', '/webhook/alertmanager', '/test'] as const;
const RESOURCES = ['issue', 'event_alert', 'error', 'metric_alert', 'installation', 'comment', 'seer'];

function jsonHeaders(resource: string | undefined): Record<string, string> {
  return { 'Content-Type': 'application/json', ...(resource ? { 'Sentry-Hook-Resource': resource } : {}) };
}

type Path = (string | number)[];

/** Every path in a JSON value, containers included, so a mutation can hit any level. */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  return out;
}

const SEED_PATHS = SEEDS.map((seed) => pathsOf(seed.value));

// JSON.stringify recurses and overflows on deep values, so deep nesting travels as a marker
// string that toBody() swaps for the nested text.
const deepMarker = (depth: number): string => `\u0001deep:${depth}\u0001`;

function toBody(value: unknown): Buffer {
  const text = (JSON.stringify(value) ?? 'null').replace(/"\\u0001deep:(\d+)\\u0001"/g, (_, depth: string) => `${'['.repeat(Number(depth))}${']'.repeat(Number(depth))}`);
  return Buffer.from(text);
}

/** Values that broke other parsers: wrong types, nulls, huge, deep, prototype keys, template syntax, odd text. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null, true, false, 0, -1, 1e308, -1e308, 1.5, 2 ** 53 + 1, '', ' ', '0', '123',
    '0001-01-01T00:00:00Z', '275760-09-13T00:00:00.001Z', '-271821-04-20T00:00:00Z', 'yesterday',
    'javascript:alert(1)', '<b>bold</b> & <a href="x">', '{{#each this}}{{/each}}{{lookup . "constructor"}}', '{{{raw}}}',
    '\u0000\u0007\u2028\u2029\r\n\t', '\ud800', '🔥'.repeat(50), 'é\u0301', '&amp;&#x26;&lt;',
    [], {}, [null], Array.from({ length: 2000 }, () => null),
  ),
  fc.constantFrom(1000, 20_000, 100_000).map(deepMarker),
  // 400 000 '€' is 1.2 MB of UTF-8: past the body limit, so 413 is exercised too.
  fc.constantFrom('x', '€', '<', '🔥').chain((c) => fc.constantFrom(1000, 70_000, 400_000).map((n) => c.repeat(n))),
  fc.constant(JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}') as unknown),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 40 }),
  fc.double(),
  fc.integer(),
);

function isContainer(value: unknown): value is Record<string | number, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Sets (or, for `undefined`, removes) the value at path as an own property, even for "__proto__". */
function withValueAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = JSON.parse(JSON.stringify(root) ?? 'null') as unknown;
  let node: unknown = copy;
  for (const key of path.slice(0, -1)) node = isContainer(node) ? node[key] : undefined;
  // An earlier mutation may have replaced a container on this path: nothing left to change.
  if (!isContainer(node)) return copy;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

const mutation = fc.record({ pick: fc.nat(), value: fc.option(hostileValue, { nil: undefined }), renameTo: fc.option(fc.constantFrom('__proto__', 'constructor', 'toString', ''), { nil: undefined }) });

/** A real fixture with 1-4 values replaced, removed, or keys renamed to prototype names. */
export const mutatedFixture: fc.Arbitrary<FuzzRequest> = fc
  .record({ seed: fc.nat(SEEDS.length - 1), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) })
  .map(({ seed, mutations }) => {
    const { path, resource } = SEEDS[seed]!;
    let value = SEEDS[seed]!.value;
    for (const m of mutations) {
      const paths = SEED_PATHS[seed]!;
      const target = paths[m.pick % paths.length]!;
      const last = target[target.length - 1];
      if (m.renameTo !== undefined && typeof last === 'string') {
        const current = target.reduce<unknown>((node, key) => (isContainer(node) ? node[key] : undefined), value);
        value = withValueAt(withValueAt(value, target, undefined), [...target.slice(0, -1), m.renameTo], current);
      } else {
        value = withValueAt(value, target, m.value);
      }
    }
    return { path, headers: jsonHeaders(resource), body: toBody(value) };
  });

/** Random JSON values at any route, with or without a (possibly made-up) Sentry resource header. */
export const randomJson: fc.Arbitrary<FuzzRequest> = fc
  .record({ route: fc.constantFrom(...ROUTES), resource: fc.option(fc.oneof(fc.constantFrom(...RESOURCES), fc.string({ unit: 'grapheme-ascii', maxLength: 30 })), { nil: undefined }), value: fc.jsonValue({ maxDepth: 6 }) })
  .map(({ route, resource, value }) => ({ path: route, headers: jsonHeaders(resource?.trim() ? resource : undefined), body: Buffer.from(JSON.stringify(value) ?? 'null') }));

/** Random bytes announced as JSON: invalid UTF-8, NUL bytes, truncated characters. */
export const randomBytes: fc.Arbitrary<FuzzRequest> = fc
  .record({ route: fc.constantFrom(...ROUTES), bytes: fc.uint8Array({ maxLength: 3000 }), resource: fc.option(fc.constantFrom(...RESOURCES), { nil: undefined }) })
  .map(({ route, bytes, resource }) => ({ path: route, headers: jsonHeaders(resource), body: Buffer.from(bytes) }));

/** Fixture bytes cut short, with a byte flipped, or spliced: broken JSON and broken UTF-8 near real content. */
export const brokenFixtureBytes: fc.Arbitrary<FuzzRequest> = fc
  .record({ seed: fc.nat(SEEDS.length - 1), cut: fc.nat(), flip: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), mode: fc.constantFrom('cut', 'flip', 'both') })
  .map(({ seed, cut, flip, byte, mode }) => {
    const { path, resource, text } = SEEDS[seed]!;
    let bytes = Buffer.from(text, 'utf8');
    if (mode !== 'flip') bytes = bytes.subarray(0, cut % (bytes.length + 1));
    if (mode !== 'cut' && bytes.length > 0) {
      bytes = Buffer.from(bytes);
      bytes[flip % bytes.length] = byte;
    }
    return { path, headers: jsonHeaders(resource), body: bytes };
  });

/** Valid fixture bodies with content types and encodings that are wrong, odd or absent. */
export const badContentTypes: fc.Arbitrary<FuzzRequest> = fc
  .record({
    seed: fc.nat(SEEDS.length - 1),
    type: fc.oneof(
      fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'json', 'application/json; charset=utf-16', 'application/json; charset=', '*/*', ''),
      fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
    ),
    encoding: fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'x-unknown'), { nil: undefined }),
  })
  .map(({ seed, type, encoding }) => {
    const { path, resource, text } = SEEDS[seed]!;
    const headers: Record<string, string> = { ...jsonHeaders(resource), 'Content-Type': type };
    if (type === '') delete headers['Content-Type'];
    if (encoding) headers['Content-Encoding'] = encoding;
    return { path, headers, body: Buffer.from(text) };
  });

/** Fixture bodies with made-up credentials: against a gateway with every kind of auth, all must be 401. */
export const forgedCredentials: fc.Arbitrary<FuzzRequest> = fc
  .record({
    seed: fc.nat(SEEDS.length - 1),
    signature: fc.option(fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string({ unit: 'grapheme-ascii', maxLength: 80 })), { nil: undefined }),
    authorization: fc.option(
      fc.oneof(
        fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map((t) => `Bearer ${t}`),
        fc.tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 20 }), fc.string({ unit: 'grapheme-ascii', maxLength: 20 })).map(([u, p]) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`),
        fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
      ),
      { nil: undefined },
    ),
    token: fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 40 }), { nil: undefined }),
  })
  .map(({ seed, signature, authorization, token }) => {
    const { path, resource, text } = SEEDS[seed]!;
    const headers = jsonHeaders(resource);
    if (signature !== undefined && signature.trim() !== '') headers['Sentry-Hook-Signature'] = signature.trim();
    if (authorization !== undefined && authorization.trim() !== '') headers.Authorization = authorization.trim();
    return { path: token === undefined ? path : `${path}?token=${encodeURIComponent(token)}`, headers, body: Buffer.from(text) };
  });

// Huge fields and deep nesting, in their own arbitraries: values normalization must cap (every
// string of a stored event within its limit) and structures a recursive walk would overflow on.

/** Every path in a JSON value that leads to a string, or an object key. */
function stringPaths(value: unknown): Path[] {
  return pathsOf(value).filter((path) => typeof path.reduce<unknown>((node, key) => (isContainer(node) ? node[key] : undefined), value) === 'string');
}

const SEED_STRING_PATHS = SEEDS.map((seed) => stringPaths(seed.value));
const ALERTMANAGER_SEED = SEEDS.findIndex((seed) => seed.path === '/webhook/alertmanager');

/** A real fixture with 1-3 of its strings (or key names) made 5 KB to 300 KB long. */
export const hugeFields: fc.Arbitrary<FuzzRequest> = fc
  .record({
    seed: fc.nat(SEEDS.length - 1),
    picks: fc.array(fc.record({ pick: fc.nat(), asKey: fc.boolean(), char: fc.constantFrom('x', '€', '<', '🔥', '\n', '%'), length: fc.constantFrom(5000, 100_000, 300_000) }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ seed, picks }) => {
    const { path, resource } = SEEDS[seed]!;
    let value = SEEDS[seed]!.value;
    for (const { pick, asKey, char, length } of picks) {
      const paths = SEED_STRING_PATHS[seed]!;
      if (paths.length === 0) break;
      const target = paths[pick % paths.length]!;
      const huge = char.repeat(Math.floor(length / 3));
      if (asKey) {
        const current = target.reduce<unknown>((node, key) => (isContainer(node) ? node[key] : undefined), value);
        value = withValueAt(withValueAt(value, target, undefined), [...target.slice(0, -1), huge], current);
      } else {
        value = withValueAt(value, target, huge);
      }
    }
    return { path, headers: jsonHeaders(resource), body: toBody(value) };
  });

/** An Alertmanager group of 2-1000 copies of a fixture alert under a long externalURL, all within the body limit. */
export const hugeGroups: fc.Arbitrary<FuzzRequest> = fc
  .record({ alerts: fc.constantFrom(2, 30, 100, 1000), urlLength: fc.constantFrom(1000, 100_000, 500_000) })
  .map(({ alerts, urlLength }) => {
    const group = SEEDS[ALERTMANAGER_SEED]!.value as { alerts: Record<string, unknown>[] } & Record<string, unknown>;
    const alert = group.alerts[0]!;
    const body = {
      ...group,
      externalURL: `http://alertmanager.example/${'u'.repeat(urlLength)}`,
      alerts: Array.from({ length: alerts }, (_, i) => ({ ...alert, fingerprint: `fuzz${i}` })),
    };
    return { path: '/webhook/alertmanager', headers: jsonHeaders(undefined), body: toBody(body) };
  });

/** A fixture with objects (not only arrays) nested 100 to 100 000 deep at one of its values. */
export const deepNesting: fc.Arbitrary<FuzzRequest> = fc
  .record({ seed: fc.nat(SEEDS.length - 1), pick: fc.nat(), depth: fc.constantFrom(100, 5000, 100_000), key: fc.constantFrom('a', '__proto__', 'labels') })
  .map(({ seed, pick, depth, key }) => {
    const { path, resource } = SEEDS[seed]!;
    const paths = SEED_PATHS[seed]!;
    const marker = '\u0001deepobj\u0001';
    const text = (JSON.stringify(withValueAt(SEEDS[seed]!.value, paths[pick % paths.length]!, marker)) ?? 'null').replace(
      JSON.stringify(marker),
      `${`{"${key}":`.repeat(depth)}"end"${'}'.repeat(depth)}`,
    );
    return { path, headers: jsonHeaders(resource), body: Buffer.from(text) };
  });

// Broken and overlong escapes: a lone "%", a cut multi-byte sequence, a surrogate, non-hex digits.
const HOSTILE_ESCAPES = ['%', '%E0%A4%A', '%ZZ', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', '%%41', '%u0041', '%00'];

/** Sentry events whose url (and with it the project slug taken from it) holds hostile percent-encodings. */
export const hostilePercentEncodings: fc.Arbitrary<FuzzRequest> = fc
  .record({
    parts: fc.array(fc.oneof(fc.constantFrom(...HOSTILE_ESCAPES), fc.string({ unit: 'grapheme-ascii', maxLength: 8 })), { minLength: 1, maxLength: 6 }),
    resource: fc.constantFrom('event_alert', 'error'),
  })
  .map(({ parts, resource }) => {
    const fixture = resource === 'error' ? 'sentry-error-created.json' : 'sentry-event-alert.json';
    const body = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', fixture), 'utf8')) as { data: Record<string, { url?: string }> };
    const slug = parts.join('').replace(/\//g, '');
    for (const value of Object.values(body.data)) {
      if (value && typeof value === 'object') value.url = `https://sentry.example.com/api/0/projects/acme/${slug}/events/abc/`;
    }
    return { path: '/webhook/sentry', headers: jsonHeaders(resource), body: Buffer.from(JSON.stringify(body)) };
  });
