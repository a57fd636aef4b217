import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const EVERY_MS = 250;
// Linux counts CPU time in clock ticks of 1/100 s (USER_HZ) on every common platform.
const TICK_MS = 10;

export interface ProcessSampler {
  /** The highest resident set size seen since the last reset, in bytes (NaN when it cannot be read). */
  peakRss(): number;
  /** CPU time (user + system) the process used since the last reset, in ms (NaN when it cannot be read). */
  cpuMs(): number;
  reset(): void;
  stop(): void;
}

/**
 * Samples another process's resident set size (what the kernel charges it, heap and all) a few
 * times a second, and reads its CPU time: CPU per request is the figure that noise on a shared
 * machine moves least.
 */
export function sampleProcess(pid: number): ProcessSampler {
  let peak = NaN;
  let cpuAtReset = readCpuMs(pid);
  const sample = () => {
    const rss = readRss(pid);
    if (!Number.isNaN(rss) && !(rss <= peak)) peak = rss;
  };
  sample();
  const timer = setInterval(sample, EVERY_MS);
  return {
    peakRss: () => (sample(), peak),
    cpuMs: () => readCpuMs(pid) - cpuAtReset,
    reset: () => {
      peak = NaN;
      cpuAtReset = readCpuMs(pid);
    },
    stop: () => clearInterval(timer),
  };
}

function readRss(pid: number): number {
  try {
    const status = `/proc/${pid}/status`;
    if (existsSync(status)) return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(status, 'utf8'))?.[1] ?? NaN) * 1024;
    // Elsewhere (macOS), ps reports the same figure in KiB.
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
  } catch {
    return NaN; // the process has exited
  }
}

function readCpuMs(pid: number): number {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN; // not Linux, or the process has exited
  }
}
