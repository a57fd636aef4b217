import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGateway, type BuiltGateway } from '../support/gateway-process';
import { testRedisUrl, uniquePrefix } from '../support/test-redis';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built gateway with only `env` (plus PATH) until it exits; one that starts listening is stopped. */
function run(built: BuiltGateway, env: Record<string, string>): Promise<Finished> {
  const child = spawn(process.execPath, [built.mainJs], { env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_FORMAT: 'json', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    if (/listening on/.test(stdout)) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('templates are compiled at start-up', () => {
  let built: BuiltGateway | undefined;
  let dir: string;
  beforeAll(async () => {
    built = await buildGateway();
  }, 120_000);
  afterAll(() => built?.remove());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ngw-template-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when a channel\'s override template has a broken block on line 3, then the start stops with exit 1 naming the channel, the file and the line', async () => {
    const template = join(dir, 'ops.hbs');
    writeFileSync(template, '{{title}}\n{{url}}\n{{#if url}}link{{/each}}\n');
    const config = join(dir, 'gateway.yaml');
    writeFileSync(config, [
      'redis: { url: "${REDIS_URL}", prefix: "${REDIS_PREFIX}" }',
      'channels:',
      '  quiet: { type: console }',
      `  ops-console: { type: console, template: "${template}" }`,
      '',
    ].join('\n'));

    const finished = await run(built!, { GATEWAY_CONFIG: config, REDIS_URL: testRedisUrl(), REDIS_PREFIX: uniquePrefix('template') });

    expect(finished.code).toBe(1);
    expect(finished.stderr).toContain(`template of channel "ops-console" (${template}, line 3)`);
    expect(finished.stderr).toMatch(/if doesn't match each/);
    expect(finished.stdout).not.toMatch(/listening on/);
  }, 30_000);
});
