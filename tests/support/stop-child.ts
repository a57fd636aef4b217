import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * SIGTERM, then SIGKILL if the child has not exited within graceMs; resolves once it has exited.
 * The SIGKILL is there so a teardown cannot hang on a child that ignores or is slow to obey SIGTERM.
 */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  // No pid: it never started, so no 'exit' will come.
  if (child.pid === undefined || hasExited(child)) return;
  const exited = once(child, 'exit', { signal: AbortSignal.timeout(graceMs) });
  child.kill('SIGTERM');
  try {
    await exited;
    return;
  } catch {
    // graceMs passed without an exit
  }
  if (hasExited(child)) return;
  const killed = once(child, 'exit');
  child.kill('SIGKILL');
  await killed;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
