import { join } from 'node:path';
import fc from 'fast-check';
import type { TemplateSet } from '../../src/render/rendered-message';
import type { AlertEvent } from '../../src/normalize/event';
import { createRenderer } from '../../src/render/render';
import { FORMATS } from '../../src/render/formats';
import { badContentTypes, brokenFixtureBytes, forgedCredentials, hostilePercentEncodings, mutatedFixture, randomBytes, randomJson, type FuzzRequest } from '../support/fuzz-payloads';
import { deepNesting, hugeFields, hugeGroups } from '../support/fuzz-payloads';
import { LIMITS } from '../../src/normalize/limits';
import { startHarness, type Harness } from '../support/gateway-harness';
import { storedJobs } from '../support/stored-jobs';

// Runs per property; six properties plus the forged-credentials one. FUZZ_RUNS=5000 for a long soak.
const RUNS = Number(process.env.FUZZ_RUNS ?? 450);
// Every template set render knows, new channel types included.
const CHANNEL_TYPES = Object.keys(FORMATS) as readonly TemplateSet[];
const KNOWN_STATUSES = new Set([200, 202, 400, 401, 404, 413, 415]);

interface Outcome {
  status: number;
  body: unknown;
}

async function send(gw: Harness, request: FuzzRequest): Promise<Outcome> {
  const res = await fetch(`${gw.url}${request.path}`, { method: 'POST', headers: request.headers, body: request.body });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new Error(`answer ${res.status} is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body };
}

/** The contract for every answer, whatever came in. */
function checkAnswer(outcome: Outcome, accepted: Set<string>): void {
  const { status, body } = outcome;
  if (status >= 500 || !KNOWN_STATUSES.has(status)) throw new Error(`status ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  if (status >= 400) {
    const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string' || error.message.length > 1000) {
      throw new Error(`error answer of the wrong shape: ${JSON.stringify(body).slice(0, 300)}`);
    }
  } else if (status === 202) {
    for (const job of (body as { jobs: { id: string }[] }).jobs) accepted.add(job.id);
  } else if ((body as { accepted?: unknown }).accepted !== 0) {
    throw new Error(`200 must accept nothing: ${JSON.stringify(body)}`);
  }
}

describe('fuzzing the ingest routes (fast-check)', () => {
  let gw: Harness;
  let guarded: Harness;
  const accepted = new Set<string>();
  const statuses = new Map<number, number>();
  let sent = 0;
  const started = Date.now();

  beforeAll(async () => {
    // role api: no workers, so every accepted job stays in Redis where the end check can see it.
    gw = await startHarness({ role: 'api', log: { level: 'warn', format: 'text' } }, 'fuzz');
    guarded = await startHarness(
      {
        role: 'api',
        log: { level: 'warn', format: 'text' },
        auth: { token: 'fuzz-token-1f3a5c', sentry: { clientSecret: 'fuzz-secret-9b8d7f' }, alertmanager: { username: 'am', password: 'fuzz-pass-2e4c' }, adminToken: 'fuzz-admin-6a7b' },
      },
      'fuzz-auth',
    );
  });

  afterAll(async () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`fuzz-ingest: ${sent} requests in ${seconds} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`);
    await gw?.stop();
    await guarded?.stop();
  });

  async function property(name: string, arbitrary: fc.Arbitrary<FuzzRequest>, target: () => Harness, check: (o: Outcome) => void = (o) => checkAnswer(o, accepted)) {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (request) => {
        const outcome = await send(target(), request);
        sent++;
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        check(outcome);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect((await fetch(`${target().url}/health`)).status).toBe(200);
    // A 5xx is logged at level error; there must be none.
    expect(target().logs.filter((line) => /^\S+ error /.test(line))).toEqual([]);
    void name;
  }

  it('when real fixtures are mutated (wrong types, nulls, huge, deep, prototype keys), then every answer is < 500', async () => {
    await property('mutated fixtures', mutatedFixture, () => gw);
  }, 60_000);

  it('when random JSON is posted to every route, then every answer is < 500', async () => {
    await property('random JSON', randomJson, () => gw);
  }, 60_000);

  it('when random bytes are posted as JSON, then every answer is < 500', async () => {
    await property('random bytes', randomBytes, () => gw);
  }, 60_000);

  it('when fixture bytes are cut or flipped, then every answer is < 500', async () => {
    await property('broken bytes', brokenFixtureBytes, () => gw);
  }, 60_000);

  it('when content types and encodings are wrong, then every answer is < 500', async () => {
    await property('content types', badContentTypes, () => gw);
  }, 60_000);

  it('when fields are huge (values and keys), then every answer is < 500', async () => {
    await property('huge fields', hugeFields, () => gw);
  }, 120_000);

  it('when an Alertmanager group has up to 1000 alerts under a long externalURL, then every answer is < 500', async () => {
    await property('huge groups', hugeGroups, () => gw);
  }, 120_000);

  it('when objects are nested up to 100 000 deep, then every answer is < 500', async () => {
    await property('deep nesting', deepNesting, () => gw);
  }, 120_000);

  it('then every stored event keeps its strings within the documented limits and has fixed-length keys', async () => {
    const keyLength = (key: string) => key.slice(key.indexOf(':') + 1).length;
    const jobs = await storedJobs(gw.config.redis.prefix);
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      const event = (job.data as { event: AlertEvent }).event;
      expect(event.title.length).toBeLessThanOrEqual(LIMITS.title);
      expect(event.message?.length ?? 0).toBeLessThanOrEqual(LIMITS.message);
      expect(event.url?.length ?? 0).toBeLessThanOrEqual(LIMITS.url);
      expect(Object.keys(event.labels).length).toBeLessThanOrEqual(LIMITS.entries);
      for (const [name, value] of Object.entries(event.labels)) {
        expect(name.length).toBeLessThanOrEqual(LIMITS.labelName);
        expect(value.length).toBeLessThanOrEqual(LIMITS.labelValue);
      }
      for (const value of Object.values(event.annotations)) expect(value.length).toBeLessThanOrEqual(LIMITS.annotationValue);
      for (const value of Object.values(event.extra)) expect(String(value).length).toBeLessThanOrEqual(LIMITS.extraValue);
      expect([keyLength(event.dedupKey), keyLength(event.identity)]).toEqual([43, 43]);
    }
  }, 60_000);

  it('when a Sentry event url holds broken percent-escapes, then every answer is < 500', async () => {
    await property('hostile percent-encodings', hostilePercentEncodings, () => gw);
  }, 60_000);

  it('when credentials are forged against a gateway with every kind of auth, then every answer is 401 and nothing is stored', async () => {
    await property('forged credentials', forgedCredentials, () => guarded, (outcome) => {
      if (outcome.status !== 401) throw new Error(`forged credentials got ${outcome.status}: ${JSON.stringify(outcome.body).slice(0, 300)}`);
    });
    expect(await storedJobs(guarded.config.redis.prefix)).toEqual([]);
  }, 60_000);

  it('then Redis holds exactly the jobs that 202 answers named, and each of their events renders for every channel type', async () => {
    const jobs = await storedJobs(gw.config.redis.prefix);
    expect(jobs.map((job) => job.id).sort()).toEqual([...accepted].sort());
    expect(accepted.size).toBeGreaterThan(0);
    const renderer = createRenderer({ templatesDir: join(__dirname, '..', '..', 'templates'), timezone: 'UTC' });
    for (const job of jobs) {
      const event = (job.data as { event: AlertEvent }).event;
      for (const type of CHANNEL_TYPES) {
        expect(() => renderer.render(event, { name: `fuzz-${type}`, type, locale: 'en' })).not.toThrow();
      }
    }
  }, 60_000);
});
