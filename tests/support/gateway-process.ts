import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait-for';

const REPO = join(__dirname, '..', '..');

/** The gateway compiled into a directory laid out like the package: dist/, templates/, package.json. */
export interface BuiltGateway {
  mainJs: string;
  remove(): void;
}

/**
 * Compiles src/ with the build config into a temporary directory of its own, so test files that
 * run real processes never race each other (or a developer's `npm run build`) over dist/.
 * tsc emits even when a type check fails; `npm test` runs the type check before jest, so here
 * only a missing output is an error.
 */
export async function buildGateway(): Promise<BuiltGateway> {
  const root = mkdtempSync(join(tmpdir(), 'ngw-build-'));
  const tsc = require.resolve('typescript/bin/tsc');
  const output = await new Promise<string>((resolve) => {
    execFile(process.execPath, [tsc, '-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(root, 'dist')], { cwd: REPO }, (_err, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    );
  });
  const mainJs = join(root, 'dist', 'main.js');
  if (!existsSync(mainJs)) throw new Error(`tsc did not produce ${mainJs}:\n${output}`);
  copyFileSync(join(REPO, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(REPO, 'templates'), join(root, 'templates'));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  return { mainJs, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface LogEntry {
  level: string;
  message: string;
  [field: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the process had exited. */
  at: number;
}

export interface GatewayProcess {
  child: ChildProcess;
  /** Every JSON log line so far (the process runs with LOG_FORMAT=json). */
  logs: LogEntry[];
  /** Filled in from the startup line. */
  url: string;
  exited: Promise<Exit>;
  waitForLog(match: (entry: LogEntry) => boolean, what: string, timeoutMs?: number): Promise<LogEntry>;
  /** SIGTERM and wait for the exit (no-op when already exited). */
  stop(): Promise<Exit>;
}

/**
 * Starts `node [nodeArgs] dist/main.js` with only the given environment (plus PATH), on a free port, and
 * resolves once its startup line says where it listens.
 */
export async function startGatewayProcess(built: BuiltGateway, env: Record<string, string>, nodeArgs: readonly string[] = [], cwd?: string): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [...nodeArgs, built.mainJs], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogEntry[] = [];
  const stderr: string[] = [];
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      // The console channel prints rendered messages between the JSON log lines.
      if (line.startsWith('{')) logs.push(JSON.parse(line) as LogEntry);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  let exit: Exit | undefined;
  void exited.then((e) => (exit = e));

  const waitForLog: GatewayProcess['waitForLog'] = (match, what, timeoutMs) =>
    waitFor(() => {
      const found = logs.find(match);
      if (!found && exit) throw new Error(`the gateway exited (code ${exit.code}) before ${what}; stderr: ${stderr.join('')}`);
      return found;
    }, what, timeoutMs);

  const started = await waitForLog((entry) => /listening on :\d+$/.test(entry.message), 'the startup line', 15_000);
  const port = /:(\d+)$/.exec(started.message)![1];
  return {
    child,
    logs,
    url: `http://127.0.0.1:${port}`,
    exited,
    waitForLog,
    async stop() {
      if (exit) return exit;
      child.kill('SIGTERM');
      return exited;
    },
  };
}
