import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir, countSetting, machineLine, repoRoot, runBench } from './bench-env';
import { summarizeProfile, type TimeShare } from './cpu-profile';
import { runLoad } from './load';
import { markdownTable } from './markdown-table';
import { alertmanagerGroup, sentryEventAlert } from './payloads';
import { startRedisServer } from './redis-server';
import { builtGateway, startGateway } from './servers';

/**
 * Where the ingest path spends its CPU: the gateway (ROLE=api) runs under `node --cpu-prof` while
 * the ingest benchmark's load hits it, once per payload; the profiles are kept under
 * artifacts/profiles/ (open them in Chrome DevTools or speedscope) and summarized here by owner
 * (the gateway, each dependency, Node, GC) and by function.
 */
const REPO = repoRoot(__dirname);

async function main(): Promise<number> {
  const durationS = countSetting(process.env, 'PROFILE_SECONDS', 15);
  const connections = countSetting(process.env, 'INGEST_CONNECTIONS', 50);
  console.log(`profile: gateway (ROLE=api) under --cpu-prof, ${connections} connections, ${durationS} s per payload`);
  console.log(`machine: ${machineLine()}`);
  const profiles = join(artifactsDir(REPO), 'profiles');
  const redis = await startRedisServer();
  const built = builtGateway(REPO);
  const summaries: Record<string, unknown> = {};
  try {
    // INGEST_PAYLOADS=alertmanager profiles only the Alertmanager path, as bench:ingest does.
    const payloads = [alertmanagerGroup(REPO), sentryEventAlert(REPO)].filter((p) => !process.env.INGEST_PAYLOADS || process.env.INGEST_PAYLOADS.split(',').some((name) => p.name.startsWith(name)));
    for (const payload of payloads) {
      const dir = join(profiles, payload.path.split('/').pop()!);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const gateway = await startGateway(built, { port: 0, role: 'api', redis: { url: redis.url, prefix: 'profile' }, log: { level: 'info', format: 'json' } }, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      let rps = 0;
      try {
        rps = (await runLoad({ url: gateway.url, payload, connections, durationS, firstBody: 0 })).rps;
      } finally {
        // The profile is written as the process exits.
        await gateway.stop();
      }
      const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
      if (!file) throw new Error(`no .cpuprofile in ${dir}`);
      const summary = summarizeProfile(join(dir, file));
      summaries[payload.name] = { rps, ...summary, profile: join(dir, file) };
      const table = (title: string, shares: TimeShare[]) =>
        markdownTable<TimeShare>(
          [
            [title, (s) => s.name],
            ['ms', (s) => s.ms],
            ['share', (s) => `${(s.share * 100).toFixed(1)}%`],
          ],
          shares,
        );
      console.log(`\n${payload.name} at ${Math.round(rps)} req/s: ${summary.busyMs} ms busy, ${summary.idleMs} ms idle (shares are of busy time)`);
      console.log(`\n${table('owner', summary.byOwner.slice(0, 10))}`);
      console.log(`\n${table('function (self time)', summary.bySelf)}`);
      console.log(`\n${table('gateway function (inclusive time)', summary.oursInclusive)}`);
      console.log(`\nprofile: ${join(dir, file)}`);
    }
  } finally {
    await redis.stop();
  }
  writeFileSync(join(profiles, 'summary.json'), `${JSON.stringify({ machine: machineLine(), connections, durationS, summaries }, null, 2)}\n`);
  return 0;
}

runBench('profile', main);
