import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';

/** The checkout's root (templates/, tests/fixtures/), from wherever tsc put the calling file. */
export function repoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'notification-gateway') return dir;
  }
  throw new Error(`no notification-gateway package.json above ${from}`);
}

/** Where results and logs go: ARTIFACTS_DIR, or artifacts/ in the checkout (git ignores it). */
export function artifactsDir(root: string): string {
  const dir = process.env.ARTIFACTS_DIR ?? join(root, 'artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** One line naming the machine, so a figure is never read without the hardware it came from. */
export function machineLine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${redisVersion()}`;
}

function redisVersion(): string {
  try {
    return `Redis ${/v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? '?'}`;
  } catch {
    return 'no redis-server';
  }
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export function seconds(ms: number): string {
  return ms >= 100_000 ? `${Math.round(ms / 1000)}s` : `${(ms / 1000).toFixed(1)}s`;
}

/** A positive whole number from the environment, or the default. */
export function countSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not "${env[name]}"`);
  return value;
}

/** Runs a benchmark's main: exit 0 when its targets are met, 1 when one is missed, 2 when it could not run. */
export function runBench(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`${name} benchmark failed: ${err.stack ?? err.message}`);
      process.exit(2);
    },
  );
}
