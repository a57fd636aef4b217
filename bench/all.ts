import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runBench, seconds } from './bench-env';

/** `npm run bench`: every benchmark in turn, each in a process of its own; exits with the worst status. */
const BENCHES = ['ingest', 'latency', 'storm', 'profile-ingest', 'big-webhook', 'history'];
const MEANING = ['all targets met', 'a target missed', 'could not run'];

async function main(): Promise<number> {
  const results = BENCHES.map((name) => {
    console.log(`\n=== ${name} ===\n`);
    const started = Date.now();
    const run = spawnSync(process.execPath, [join(__dirname, `${name}.js`)], { stdio: 'inherit' });
    return { name, status: run.status ?? 2, ms: Date.now() - started };
  });
  console.log('\n=== summary ===');
  for (const r of results) console.log(`${r.name.padEnd(15)} ${seconds(r.ms).padStart(6)}  ${MEANING[r.status] ?? `exit ${r.status}`}`);
  return Math.max(...results.map((r) => r.status));
}

runBench('bench', main);
