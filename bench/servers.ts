import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewayProcess, type BuiltGateway, type GatewayProcess } from '../tests/support/gateway-process';
import { waitFor } from '../tests/support/wait-for';

/** A server the load is pointed at, in a process of its own so its RSS and CPU are its own. */
export interface ServerUnderTest {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface GatewayUnderTest extends ServerUnderTest {
  process: GatewayProcess;
}

/**
 * `npm run build`'s output in this checkout: what `npm start` runs. BENCH_GATEWAY_MAIN names
 * another build's main.js instead, to measure two versions on the same machine.
 */
export function builtGateway(repoRoot: string): BuiltGateway {
  const mainJs = process.env.BENCH_GATEWAY_MAIN ?? join(repoRoot, 'dist', 'main.js');
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run npm run build (npm run bench does)`);
  return { mainJs, remove: () => undefined };
}

/**
 * The gateway built from this checkout (`node dist/main.js`), configured by a YAML file as a user
 * would; `nodeArgs` go to node (such as --cpu-prof).
 */
export async function startGateway(built: BuiltGateway, config: Record<string, unknown>, nodeArgs: readonly string[] = []): Promise<GatewayUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'ngw-bench-'));
  const file = join(dir, 'gateway.yaml');
  // JSON is YAML: the file is exactly the object the bench chose.
  writeFileSync(file, JSON.stringify(config, null, 2));
  const gateway = await startGatewayProcess(built, { GATEWAY_CONFIG: file }, nodeArgs);
  return {
    url: gateway.url,
    pid: gateway.child.pid!,
    process: gateway,
    async stop() {
      await gateway.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** bench/floor-server.ts, compiled next to this file: XADD per request, or a BullMQ job per request. */
export async function startFloor(redisUrl: string, store: 'xadd' | 'bullmq'): Promise<ServerUnderTest> {
  const child = spawn(process.execPath, [join(__dirname, 'floor-server.js')], {
    env: { PATH: process.env.PATH ?? '', REDIS_URL: redisUrl, PORT: '0', FLOOR_STORE: store },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`the floor server exited with ${child.exitCode}: ${output}`);
    return /listening on :(\d+)/.exec(output)?.[1];
  }, 'the floor server to listen');
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
